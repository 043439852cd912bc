package io.cachekit.sample;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.cachekit.core.CacheBackend;

/** Tags of a product, kept as a Redis set through the backend's set operations. */
@RestController
public class TagController {

	private final CacheBackend<Object> cache;

	public TagController(CacheBackend<Object> cache) {
		this.cache = cache;
	}

	/** The product's tags. */
	@GetMapping("/products/{id}/tags")
	public Tags tags(@PathVariable String id) {
		return read(id);
	}

	/** Adds tags (a JSON array of strings); tags already there are kept once. */
	@PostMapping("/products/{id}/tags")
	public Tags add(@PathVariable String id, @RequestBody List<String> tags) {
		this.cache.addManyToSet(key(id), tags);
		return read(id);
	}

	/** Removes one tag. */
	@DeleteMapping("/products/{id}/tags/{tag}")
	public Tags remove(@PathVariable String id, @PathVariable String tag) {
		this.cache.removeFromSet(key(id), tag);
		return read(id);
	}

	private Tags read(String id) {
		return new Tags(id, new TreeSet<>(this.cache.getSetMembers(key(id))));
	}

	private static String key(String id) {
		return "tags:" + id;
	}

	/**
	 * A product's tags.
	 *
	 * @param productId the product
	 * @param tags its tags, sorted
	 */
	public record Tags(String productId, SortedSet<String> tags) {
	}

}
