{{/* Names and labels. */}}
{{- define "tally.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tally.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "tally.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "tally.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tally
{{- end -}}

{{/* Selector labels of one service: (dict "root" $ "service" "gateway"). */}}
{{- define "tally.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tally.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .service }}
{{- end -}}

{{/*
The five services: the port each listens on and the variable that sets it, both from its application.yml
(server.port: ${GATEWAY_PORT:8080} and so on); the chart's tests hold them to it.
*/}}
{{- define "tally.services" -}}
gateway: {port: 8080, portEnv: GATEWAY_PORT, artifact: gateway-service}
ledger: {port: 8081, portEnv: LEDGER_PORT, artifact: ledger-service}
governance: {port: 8082, portEnv: GOVERNANCE_PORT, artifact: governance-service}
analytics: {port: 8084, portEnv: ANALYTICS_PORT, artifact: analytics-service}
notification: {port: 8085, portEnv: NOTIFICATION_PORT, artifact: notification-service}
{{- end -}}

{{- define "tally.port" -}}
{{- $services := include "tally.services" .root | fromYaml -}}
{{- (get $services .service).port -}}
{{- end -}}

{{- define "tally.serviceName" -}}
{{- printf "%s-%s" (include "tally.fullname" .root) .service | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tally.image" -}}
{{- $values := get .root.Values .service -}}
{{- $repository := $values.image.repository -}}
{{- if .root.Values.image.registry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" .root.Values.image.registry) $repository -}}
{{- end -}}
{{- printf "%s:%s" $repository (default (default .root.Chart.AppVersion .root.Values.image.tag) $values.image.tag) -}}
{{- end -}}

{{/* Secrets: the keys' Secret, the database credentials' Secret of one service. */}}
{{- define "tally.secretName" -}}
{{- default (printf "%s-keys" (include "tally.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "tally.dbSecretName" -}}
{{- $database := get .root.Values.postgresql.databases .service -}}
{{- if $database.existingSecret -}}
{{- $database.existingSecret -}}
{{- else -}}
{{- default (printf "%s-postgresql" (include "tally.fullname" .root)) .root.Values.postgresql.auth.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "tally.jdbcUrl" -}}
{{- $pg := .root.Values.postgresql -}}
{{- $database := get $pg.databases .service -}}
{{- printf "jdbc:postgresql://%s:%v/%s" $pg.host $pg.port $database.name -}}
{{- if $pg.parameters -}}?{{ $pg.parameters }}{{- end -}}
{{- end -}}

{{- define "tally.r2dbcUrl" -}}
{{- $pg := .root.Values.postgresql -}}
{{- $database := get $pg.databases .service -}}
{{- printf "r2dbc:postgresql://%s:%v/%s" $pg.host $pg.port $database.name -}}
{{- if $pg.parameters -}}?{{ $pg.parameters }}{{- end -}}
{{- end -}}

{{/* The database credentials, as secretKeyRef variables (TALLY_DB_USER, TALLY_DB_PASSWORD). */}}
{{- define "tally.dbEnv" -}}
- name: TALLY_DB_USER
  valueFrom:
    secretKeyRef:
      name: {{ include "tally.dbSecretName" . }}
      key: {{ .root.Values.postgresql.auth.usernameKey }}
- name: TALLY_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "tally.dbSecretName" . }}
      key: {{ .root.Values.postgresql.auth.passwordKey }}
{{- end -}}

{{/*
Kafka's security settings as the services' own tally.kafka.* settings (TALLY_KAFKA_SASL_PASSWORD is
tally.kafka.sasl.password): service-kit gives them to every client of a service, Spring's and the hand-built ones
(the ledger client, the governance state readers), so none connects unauthenticated. Checked here too, so a wrong
combination stops the install rather than every pod's start.
*/}}
{{- define "tally.kafkaSecurityEnv" -}}
{{- $kafka := .Values.kafka -}}
{{- $protocol := $kafka.securityProtocol -}}
{{- if not (has $protocol (list "PLAINTEXT" "SSL" "SASL_PLAINTEXT" "SASL_SSL")) }}
{{- fail (printf "kafka.securityProtocol is %q; it must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL" $protocol) }}
{{- end }}
{{- $tls := or (eq $protocol "SSL") (eq $protocol "SASL_SSL") -}}
{{- if and $kafka.tls.existingSecret (not $tls) }}
{{- fail (printf "kafka.tls.existingSecret is set, but kafka.securityProtocol is %s; %s" $protocol
    "a truststore is used with SSL or SASL_SSL") }}
{{- end }}
{{- if ne $protocol "PLAINTEXT" }}
- name: TALLY_KAFKA_SECURITY_PROTOCOL
  value: {{ $protocol | quote }}
{{- end }}
{{- if hasPrefix "SASL" $protocol }}
{{- $needed := "kafka.sasl.existingSecret is required with a SASL securityProtocol" }}
{{- $secret := required $needed $kafka.sasl.existingSecret }}
- name: TALLY_KAFKA_SASL_MECHANISM
  value: {{ $kafka.sasl.mechanism | quote }}
- name: TALLY_KAFKA_SASL_USERNAME
{{- if $kafka.sasl.username }}
  value: {{ $kafka.sasl.username | quote }}
{{- else }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $kafka.sasl.usernameKey }}
{{- end }}
- name: TALLY_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $kafka.sasl.passwordKey }}
{{- end }}
{{- if and $tls $kafka.tls.existingSecret }}
- name: TALLY_KAFKA_SSL_TRUSTSTORE_LOCATION
  value: "/etc/tally/kafka-tls/{{ $kafka.tls.truststoreKey }}"
- name: TALLY_KAFKA_SSL_TRUSTSTORE_TYPE
  value: {{ $kafka.tls.truststoreType | quote }}
{{- if $kafka.tls.truststorePasswordKey }}
- name: TALLY_KAFKA_SSL_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $kafka.tls.existingSecret }}
      key: {{ $kafka.tls.truststorePasswordKey }}
{{- end }}
{{- if $kafka.tls.keystoreKey }}
- name: TALLY_KAFKA_SSL_KEYSTORE_LOCATION
  value: "/etc/tally/kafka-tls/{{ $kafka.tls.keystoreKey }}"
- name: TALLY_KAFKA_SSL_KEYSTORE_TYPE
  value: {{ $kafka.tls.keystoreType | quote }}
{{- if $kafka.tls.keystorePasswordKey }}
- name: TALLY_KAFKA_SSL_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $kafka.tls.existingSecret }}
      key: {{ $kafka.tls.keystorePasswordKey }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Volumes every pod has: a writable /tmp (the root filesystem is read-only), the Kafka truststore if any. */}}
{{- define "tally.volumes" -}}
- name: tmp
  emptyDir: {}
{{- if .Values.kafka.tls.existingSecret }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tls.existingSecret }}
    items:
      - key: {{ .Values.kafka.tls.truststoreKey }}
        path: {{ .Values.kafka.tls.truststoreKey }}
      {{- with .Values.kafka.tls.keystoreKey }}
      - key: {{ . }}
        path: {{ . }}
      {{- end }}
{{- end }}
{{- end -}}

{{- define "tally.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.kafka.tls.existingSecret }}
- name: kafka-tls
  mountPath: /etc/tally/kafka-tls
  readOnly: true
{{- end }}
{{- end -}}

{{/* Probes on Spring Boot's health groups: (dict "root" $ "service" "gateway"). */}}
{{- define "tally.probes" -}}
{{- $probes := .root.Values.probes -}}
startupProbe:
  httpGet: {path: /actuator/health/liveness, port: http}
  periodSeconds: {{ $probes.startup.periodSeconds }}
  failureThreshold: {{ $probes.startup.failureThreshold }}
  timeoutSeconds: {{ $probes.startup.timeoutSeconds }}
livenessProbe:
  httpGet: {path: /actuator/health/liveness, port: http}
  periodSeconds: {{ $probes.liveness.periodSeconds }}
  failureThreshold: {{ $probes.liveness.failureThreshold }}
  timeoutSeconds: {{ $probes.liveness.timeoutSeconds }}
readinessProbe:
  httpGet: {path: /actuator/health/readiness, port: http}
  periodSeconds: {{ $probes.readiness.periodSeconds }}
  failureThreshold: {{ $probes.readiness.failureThreshold }}
  timeoutSeconds: {{ $probes.readiness.timeoutSeconds }}
{{- end -}}

{{/*
The pod template of one service: (dict "root" $ "service" "gateway" "env" <list of variables as YAML>
"volumes" <extra volumes> "volumeMounts" <extra mounts>).
*/}}
{{- define "tally.podTemplate" -}}
{{- $root := .root -}}
{{- $values := get $root.Values .service -}}
{{- $port := include "tally.port" . -}}
{{- $services := include "tally.services" $root | fromYaml -}}
metadata:
  labels:
    {{- include "tally.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .service }}
  annotations:
    checksum/config: {{ include (print $root.Template.BasePath "/configmaps.yaml") $root | sha256sum }}
spec:
  serviceAccountName: {{ include "tally.fullname" $root }}
  automountServiceAccountToken: false
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ $root.Values.terminationGracePeriodSeconds }}
  containers:
    - name: {{ (get $services .service).artifact }}
      image: {{ include "tally.image" . | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      ports:
        - name: http
          containerPort: {{ $port }}
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ include "tally.serviceName" . }}
      env:
        {{- .env | nindent 8 }}
        {{- with include "tally.kafkaSecurityEnv" $root | trim }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with $values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- include "tally.probes" . | nindent 6 }}
      resources:
        {{- toYaml $values.resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      volumeMounts:
        {{- include "tally.volumeMounts" $root | nindent 8 }}
        {{- with .volumeMounts }}
        {{- . | nindent 8 }}
        {{- end }}
  volumes:
    {{- include "tally.volumes" $root | nindent 4 }}
  {{- with $root.Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
