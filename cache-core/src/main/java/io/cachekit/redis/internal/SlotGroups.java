package io.cachekit.redis.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.cluster.SlotHash;

/**
 * Splits entries by cluster hash slot: a script may touch keys of one slot only, so a multi-key
 * script on a cluster runs once per slot.
 */
final class SlotGroups {

	private SlotGroups() {
	}

	/** The entries in groups of one slot each ({@code entries} itself when not on a cluster). */
	static <V> Collection<Map<String, V>> of(Map<String, V> entries, boolean cluster) {
		if (!cluster) {
			return List.of(entries);
		}
		Map<Integer, Map<String, V>> bySlot = new HashMap<>();
		entries.forEach((k, v) -> bySlot.computeIfAbsent(SlotHash.getSlot(k), (s) -> new LinkedHashMap<>()).put(k, v));
		return bySlot.values();
	}

}
