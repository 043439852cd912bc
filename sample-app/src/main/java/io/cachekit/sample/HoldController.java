package io.cachekit.sample;

import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.cachekit.core.CacheBackend;

/**
 * Holds a product for one client for two minutes: set-if-absent ({@code add}) decides who gets it,
 * atomically, and {@code getTtl} tells the others how long they have to wait.
 */
@RestController
public class HoldController {

	private static final Duration HOLD = Duration.ofMinutes(2);

	private final CacheBackend<Object> cache;

	public HoldController(CacheBackend<Object> cache) {
		this.cache = cache;
	}

	/** 201 with the hold when the product was free, 409 with the current hold when it was not. */
	@PostMapping("/products/{id}/hold")
	public ResponseEntity<Hold> hold(@PathVariable String id,
			@RequestHeader(name = "X-Client-Id", defaultValue = "anonymous") String client) {
		String key = "hold:" + id;
		if (this.cache.add(key, client, HOLD)) {
			return ResponseEntity.status(HttpStatus.CREATED).body(new Hold(id, client, HOLD.toSeconds()));
		}
		String holder = this.cache.get(key).map(String::valueOf).orElse(null);
		long seconds = this.cache.getTtl(key).map(Duration::toSeconds).orElse(0L);
		return ResponseEntity.status(HttpStatus.CONFLICT).body(new Hold(id, holder, seconds));
	}

	/**
	 * A hold on a product.
	 *
	 * @param productId the product
	 * @param heldBy the client holding it ({@code X-Client-Id})
	 * @param expiresInSeconds when the hold ends
	 */
	public record Hold(String productId, String heldBy, long expiresInSeconds) {
	}

}
