package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local broker's TLS identity for {@code --kafka-tls}: a key pair with a self-signed certificate for localhost and
 * 127.0.0.1 (what clients connect to, so Kafka's host name check passes), and a truststore holding that certificate
 * for the clients. Made once, by the JDK's own keytool, in {@code <data>/kafka/tls}, files 0600; the stores' password
 * reaches keytool through its environment ({@code -storepass:env}), never a command line.
 *
 * @param keystore   the broker's key and certificate (PKCS12)
 * @param truststore the certificate the clients trust (PKCS12)
 * @param password   both stores' password
 */
record BrokerCertificate(Path keystore, Path truststore, String password) {

    static final String KEYSTORE = "broker.p12";
    static final String TRUSTSTORE = "truststore.p12";
    static final String PASSWORD_FILE = "store-password";
    private static final String PASSWORD_VARIABLE = "TALLY_KAFKA_STORE_PASSWORD";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String toString() {
        return "BrokerCertificate[keystore=" + keystore + ", truststore=" + truststore + ", password=(hidden)]";
    }

    /** The certificate in {@code directory}, made there first if any of its files is missing. */
    static BrokerCertificate createOnce(Path directory) {
        Path keystore = directory.resolve(KEYSTORE);
        Path truststore = directory.resolve(TRUSTSTORE);
        Path passwordFile = directory.resolve(PASSWORD_FILE);
        try {
            if (Files.isRegularFile(keystore) && Files.isRegularFile(truststore) && Files.isRegularFile(passwordFile)) {
                return new BrokerCertificate(keystore, truststore, Files.readString(passwordFile).strip());
            }
            OwnerOnly.directory(directory);
            for (Path file : List.of(keystore, truststore, passwordFile, directory.resolve("broker.crt"))) {
                Files.deleteIfExists(file);
            }
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            keytool(password, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=localhost, O=Tally local stack", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity", "3650", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                    "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE);
            Path certificate = directory.resolve("broker.crt");
            keytool(password, "-exportcert", "-rfc", "-alias", "broker", "-file", certificate.toString(),
                    "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass:env", PASSWORD_VARIABLE);
            keytool(password, "-importcert", "-noprompt", "-alias", "tally-local-broker", "-file",
                    certificate.toString(), "-keystore", truststore.toString(), "-storetype", "PKCS12",
                    "-storepass:env", PASSWORD_VARIABLE);
            for (Path file : List.of(keystore, truststore, certificate)) {
                OwnerOnly.restrict(file);
            }
            // Last: its presence says the stores are complete.
            OwnerOnly.write(passwordFile, password + "\n");
            return new BrokerCertificate(keystore, truststore, password);
        } catch (IOException e) {
            throw new UncheckedIOException("could not make the broker's certificate in " + directory, e);
        }
    }

    private static void keytool(String password, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StackException("keytool " + arguments[0] + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new StackException("interrupted while keytool made the broker's certificate");
        }
        if (process.exitValue() != 0) {
            throw new StackException("keytool " + arguments[0] + " failed: " + output.strip());
        }
    }
}
