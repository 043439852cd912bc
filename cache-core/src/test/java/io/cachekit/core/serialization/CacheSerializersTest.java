package io.cachekit.core.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.fixtures.Product;
import io.cachekit.untrusted.Gadget;

/** Pure serializer behaviour: no Redis involved, so no server needed. */
class CacheSerializersTest {

	private final Product lamp = new Product("p1", "Lamp", new BigDecimal("19.90"), List.of("home"));

	@Test
	void polymorphicJsonRoundTripsTrustedAndJdkValueTypes() {
		CacheSerializer<Object> json = CacheSerializers.json(List.of("io.cachekit.fixtures"));
		List<Object> values = List.of("s", 1, 2L, 3.5, true, new BigDecimal("1.10"), Instant.parse("2026-01-01T00:00:00Z"),
				new ArrayList<>(List.of(this.lamp)), new HashMap<>(Map.of("k", this.lamp)), this.lamp);
		for (Object value : values) {
			assertThat(json.deserialize(json.serialize(value))).as(value.getClass().getName()).isEqualTo(value);
		}
	}

	@Test
	void polymorphicJsonRefusesToMaterializeAnUntrustedType() {
		CacheSerializer<Object> permissive = CacheSerializers.json(List.of("io.cachekit.untrusted"));
		byte[] stored = permissive.serialize(new Gadget());
		assertThat(new String(stored, StandardCharsets.UTF_8)).contains("io.cachekit.untrusted.Gadget");
		CacheSerializer<Object> json = CacheSerializers.json(List.of("io.cachekit.fixtures"));
		assertThatThrownBy(() -> json.deserialize(stored)).isInstanceOf(CacheSerializationException.class)
			.hasMessageContaining("io.cachekit.untrusted.Gadget");
		// nested inside a trusted container too
		byte[] nested = "[\"java.util.ArrayList\",[[\"io.cachekit.untrusted.Gadget\",{\"command\":\"x\"}]]]"
			.getBytes(StandardCharsets.UTF_8);
		assertThatThrownBy(() -> json.deserialize(nested)).isInstanceOf(CacheSerializationException.class);
	}

	@Test
	void polymorphicJsonRefusesToWriteWhatItCouldNotReadBack() {
		CacheSerializer<Object> json = CacheSerializers.json(List.of("io.cachekit.fixtures"));
		assertThatThrownBy(() -> json.serialize(new Gadget())).isInstanceOf(CacheSerializationException.class)
			.hasMessageContaining("trusted packages");
	}

	@Test
	void trustedPackagesRejectWildcards() {
		assertThatThrownBy(() -> CacheSerializers.json(List.of("*"))).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("trustedPackages");
	}

	@Test
	void typedJsonStoresNoTypeMetadata() {
		CacheSerializer<Product> json = CacheSerializers.json(Product.class);
		byte[] bytes = json.serialize(this.lamp);
		assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("io.cachekit").startsWith("{\"id\"");
		Product back = json.deserialize(bytes);
		assertThat(back).isEqualTo(this.lamp);
	}

	@Test
	void jdkRoundTripsAllowedClassesAndRefusesOthers() {
		CacheSerializer<Object> jdk = CacheSerializers.jdk(List.of("io.cachekit.fixtures.*"));
		assertThat(jdk.deserialize(jdk.serialize(this.lamp))).isEqualTo(this.lamp);
		assertThat(jdk.deserialize(jdk.serialize(new ArrayList<>(List.of(1, "two"))))).isEqualTo(List.of(1, "two"));
		byte[] gadget = CacheSerializers.jdk(List.of("io.cachekit.untrusted.*")).serialize(new Gadget());
		assertThatThrownBy(() -> jdk.deserialize(gadget)).isInstanceOf(CacheSerializationException.class)
			.hasMessageContaining("allow-list");
		assertThatThrownBy(() -> jdk.serialize(new Object())).isInstanceOf(CacheSerializationException.class)
			.hasMessageContaining("not Serializable");
	}

	@Test
	void stringRejectsInvalidUtf8() {
		assertThat(CacheSerializers.string().deserialize("héllo".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo");
		assertThatThrownBy(() -> CacheSerializers.string().deserialize(new byte[] { (byte) 0xc3, (byte) 0x28 }))
			.isInstanceOf(CacheSerializationException.class);
	}

	@Test
	void namedSerializersAndUnknownName() {
		assertThat(CacheSerializers.named("string", List.of()).deserialize(new byte[] { 'a' })).isEqualTo("a");
		assertThat(CacheSerializers.named("bytes", List.of()).serialize(new byte[] { 1 })).containsExactly(1);
		assertThatThrownBy(() -> CacheSerializers.named("string", List.of()).serialize(42))
			.isInstanceOf(CacheSerializationException.class).hasMessageContaining("java.lang.Integer");
		assertThatThrownBy(() -> CacheSerializers.named("pickle", List.of())).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("json, jdk, string, bytes").hasMessageContaining("pickle");
	}

}
