package dev.tally.gateway.provider;

import org.springframework.web.reactive.function.client.WebClient;

import java.util.Map;

/**
 * Azure OpenAI's deployment-scoped API: {@code <resource>/openai/deployments/<deployment>/chat/completions
 * ?api-version=<version>} with the key in {@code api-key}. Azure picks the model by the deployment, so the deployment
 * is looked up by the model the client asked for; a model the map does not name is its own deployment (its part after
 * the last slash, so that a catalog name such as {@code azure/gpt-4o} reaches deployment {@code gpt-4o}).
 */
public final class AzureAddress implements UpstreamAddress {

    private final String apiVersion;
    private final Map<String, String> deployments;

    public AzureAddress(String apiVersion, Map<String, String> deployments) {
        this.apiVersion = apiVersion;
        this.deployments = deployments == null ? Map.of() : Map.copyOf(deployments);
    }

    @Override
    public String uri(ProviderRequest request, UpstreamApi api) {
        // WebClient encodes the URI template itself (deployment names are letters, digits, '-', '_' and '.').
        return "/openai/deployments/" + deployment(request.model()) + api.path() + "?api-version="
                + apiVersion;
    }

    String deployment(String model) {
        String deployment = deployments.get(model);
        if (deployment != null) {
            return deployment;
        }
        return model.substring(model.lastIndexOf('/') + 1);
    }

    @Override
    public WebClient.RequestBodySpec authenticate(WebClient.RequestBodySpec spec, String key) {
        return spec.header("api-key", key);
    }
}
