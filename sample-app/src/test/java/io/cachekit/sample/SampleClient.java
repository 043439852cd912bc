package io.cachekit.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls the running sample over HTTP as one client ({@code X-Client-Id}), as a person with curl would. */
final class SampleClient {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String base;

	private final String clientId;

	SampleClient(ConfigurableApplicationContext context, String clientId) {
		this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
		this.clientId = clientId;
	}

	HttpResponse<String> get(String path) {
		return send("GET", path, null);
	}

	HttpResponse<String> delete(String path) {
		return send("DELETE", path, null);
	}

	HttpResponse<String> post(String path, String jsonBody) {
		return send("POST", path, jsonBody);
	}

	HttpResponse<String> put(String path, String jsonBody) {
		return send("PUT", path, jsonBody);
	}

	/** The body of a 2xx response as JSON. */
	JsonNode getJson(String path) {
		HttpResponse<String> response = get(path);
		if (response.statusCode() / 100 != 2) {
			throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return json(response);
	}

	static JsonNode json(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	static String header(HttpResponse<String> response, String name) {
		return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header"));
	}

	private HttpResponse<String> send(String method, String path, String jsonBody) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(10));
		if (this.clientId != null) {
			request.header("X-Client-Id", this.clientId);
		}
		if (jsonBody != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method, (jsonBody != null) ? HttpRequest.BodyPublishers.ofString(jsonBody)
				: HttpRequest.BodyPublishers.noBody());
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
