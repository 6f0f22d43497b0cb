package dev.tally.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

/** Scaling and reachability: what the gateway, the ledger and the admin APIs may do and who may reach them. */
class ChartPoliciesTest {

    @Test
    void the_ledger_is_reachable_from_the_gateway_and_governance_only() {
        Rendered rendered = HelmChart.render(ValueSet.PRODUCTION);
        NetworkPolicy ledger = rendered.get(NetworkPolicy.class, Rendered.resourceName("ledger"));

        var rules = ledger.getSpec().getIngress();
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).getFrom()).extracting(NetworkPolicyPeer::getPodSelector)
                .extracting(selector -> selector.getMatchLabels().get("app.kubernetes.io/component"))
                .containsExactlyInAnyOrder("gateway", "governance");
        assertThat(rules.get(0).getFrom()).allSatisfy(peer -> assertThat(peer.getNamespaceSelector()).isNull());
    }

    @Test
    void every_tally_pod_denies_what_no_policy_allows_and_only_the_outside_facing_ones_take_the_configured_peers() {
        Rendered rendered = HelmChart.render(ValueSet.PRODUCTION);
        NetworkPolicy deny = rendered.get(NetworkPolicy.class, "acme-tally-default-deny");

        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance",
                "acme").doesNotContainKey("app.kubernetes.io/component");
        for (String service : List.of("gateway", "governance", "analytics", "notification")) {
            var from = rendered.get(NetworkPolicy.class, Rendered.resourceName(service)).getSpec().getIngress().get(0)
                    .getFrom();
            assertThat(from).as(service).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector()
                    .getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "ingress-nginx"));
        }
    }

    @Test
    void the_gateway_scales_on_cpu_between_its_bounds_and_keeps_one_replica_through_disruptions() {
        Rendered rendered = HelmChart.render(ValueSet.DEFAULT);
        HorizontalPodAutoscaler autoscaler = rendered.get(HorizontalPodAutoscaler.class,
                Rendered.resourceName("gateway"));
        PodDisruptionBudget budget = rendered.get(PodDisruptionBudget.class, Rendered.resourceName("gateway"));

        assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("StatefulSet");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(Rendered.resourceName("gateway"));
        assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component",
                "gateway");
        assertThat(rendered.find(HorizontalPodAutoscaler.class, Rendered.resourceName("ledger"))).isEmpty();
    }

    @Test
    void the_ledger_runs_as_many_replicas_as_asked_up_to_its_partitions() {
        Rendered production = HelmChart.render(ValueSet.PRODUCTION);
        assertThat(production.get(Deployment.class, Rendered.resourceName("ledger")).getSpec().getReplicas())
                .isEqualTo(4);

        assertThatThrownBy(() -> HelmChart.render(ValueSet.DEFAULT, Map.of("ledger.replicaCount", 9)))
                .hasMessageContaining("ledger.replicaCount (9) must not exceed kafka.topics.ledgerPartitions (8)");
    }

    @Test
    void the_ingress_routes_to_the_gateway_and_admin_apis_and_never_to_the_ledger() {
        Rendered rendered = HelmChart.render(ValueSet.PRODUCTION);
        Ingress ingress = rendered.get(Ingress.class, "acme-tally");

        assertThat(ingress.getSpec().getRules()).extracting(rule -> rule.getHttp().getPaths().get(0).getBackend()
                .getService().getName()).containsExactly("acme-tally-gateway", "acme-tally-governance",
                "acme-tally-analytics");
        assertThatThrownBy(() -> HelmChart.render(ValueSet.DEFAULT, Map.of("ingress.enabled", true,
                "ingress.rules[0].host", "ledger.example.com", "ingress.rules[0].service", "ledger")))
                .hasMessageContaining("service \"ledger\" is not reachable from outside");
    }

    @Test
    void the_service_monitor_scrapes_every_service_once_with_the_admin_key() {
        Rendered rendered = HelmChart.render(ValueSet.PRODUCTION);
        Map<String, Object> monitor = rendered.ofType("monitoring.coreos.com/v1/ServiceMonitor").get(0);

        Map<String, Object> endpoint = Yamls.list(monitor, "spec", "endpoints").get(0);
        assertThat(endpoint.get("port")).isEqualTo("http");
        assertThat(Yamls.map(endpoint, "authorization", "credentials")).containsEntry("name", "tally-keys")
                .containsEntry("key", "admin-key");
        assertThat(HelmChart.render(ValueSet.DEFAULT).ofType("monitoring.coreos.com/v1/ServiceMonitor")).isEmpty();
    }
}
