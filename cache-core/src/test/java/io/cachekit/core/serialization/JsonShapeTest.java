package io.cachekit.core.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.json.JsonMapper;

/** The fingerprint a typed cache's automatic version is: what changes it and what does not. */
class JsonShapeTest {

	record Product(long id, String name, List<Tag> tags) {
	}

	record Tag(String label) {
	}

	/** Product with one property more. */
	record ProductAdded(long id, String name, List<Tag> tags, int stock) {
	}

	/** Product with {@code id} of another type. */
	record ProductRetyped(String id, String name, List<Tag> tags) {
	}

	/** Product with a nested type changed (a label became a number). */
	record ProductNestedChange(long id, String name, List<NumberTag> tags) {
	}

	record NumberTag(int label) {
	}

	/** Product's properties declared in another order. */
	record ProductReordered(List<Tag> tags, String name, long id) {
	}

	/** A bean whose fields are declared in another order than {@link BeanB}'s. */
	static class BeanA {

		public String name;

		public long id;

		public Map<String, Tag> byKey;

		@JsonIgnore
		public String ignored;

	}

	static class BeanB {

		public Map<String, Tag> byKey;

		public long id;

		public String name;

	}

	/** A type that refers to itself. */
	static class Node {

		public String value;

		public Node next;

		public List<Node> children;

		public Optional<Node> parent;

	}

	record Renamed(@JsonProperty("title") String name) {
	}

	record Named(String title) {
	}

	@Test
	void aPropertyAddedOrRetypedChangesTheFingerprint() {
		String product = JsonShape.fingerprint(Product.class);
		assertThat(JsonShape.fingerprint(ProductAdded.class)).isNotEqualTo(product);
		assertThat(JsonShape.fingerprint(ProductRetyped.class)).isNotEqualTo(product);
		assertThat(JsonShape.fingerprint(ProductNestedChange.class)).isNotEqualTo(product);
	}

	@Test
	void declarationOrderAndClassNamesDoNotCount() {
		assertThat(JsonShape.fingerprint(ProductReordered.class)).isEqualTo(JsonShape.fingerprint(Product.class));
		assertThat(JsonShape.fingerprint(BeanA.class)).isEqualTo(JsonShape.fingerprint(BeanB.class));
		// the JSON name counts, not the Java one
		assertThat(JsonShape.fingerprint(Renamed.class)).isEqualTo(JsonShape.fingerprint(Named.class));
	}

	@Test
	void theFingerprintIsTheSameInEveryJvm() {
		// literal values (the hash: sha256sum of the text, cut to 12): nothing of this JVM (hash codes,
		// identity, reflection order) goes in
		JsonMapper mapper = JsonMapper.builder().build();
		assertThat(JsonShape.describe(mapper, mapper.constructType(Product.class)))
			.isEqualTo("{id:long,name:java.lang.String,tags:[{label:java.lang.String}]}");
		assertThat(JsonShape.fingerprint(Product.class)).isEqualTo("cf8fd7dcfb07").hasSize(12);
	}

	@Test
	void aCycleEnds() {
		JsonMapper mapper = JsonMapper.builder().build();
		assertThat(JsonShape.describe(mapper, mapper.constructType(Node.class))).isEqualTo(
				"{children:[@" + Node.class.getName() + "],next:@" + Node.class.getName() + ",parent:?@"
						+ Node.class.getName() + ",value:java.lang.String}");
	}

}
