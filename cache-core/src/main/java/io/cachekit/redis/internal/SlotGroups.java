package io.cachekit.redis.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.concurrent.CompletableFuture;

import io.lettuce.core.KeyValue;
import io.lettuce.core.cluster.SlotHash;

/**
 * Splits keys by cluster hash slot: a command or script may touch keys of one slot only, so a
 * multi-key one on a cluster is sent once per slot, each to its slot's master
 * ({@link Route#forKey}), and the answers are put together here.
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

	/** Keys in groups of one slot each, in their order. */
	static List<List<String>> of(String[] keys) {
		Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
		for (String key : keys) {
			bySlot.computeIfAbsent(SlotHash.getSlot(key), (s) -> new ArrayList<>()).add(key);
		}
		return new ArrayList<>(bySlot.values());
	}

	/** MGET of {@code keys}, one per slot on a cluster; the values in the keys' order. */
	static CompletableFuture<List<KeyValue<String, byte[]>>> mget(Route route, String[] keys) {
		if (route instanceof Link single) {
			return single.send((r) -> r.mget(keys));
		}
		List<CompletableFuture<List<KeyValue<String, byte[]>>>> parts = new ArrayList<>();
		for (List<String> group : of(keys)) {
			String[] groupKeys = group.toArray(String[]::new);
			parts.add(route.forKey(groupKeys[0]).send((r) -> r.mget(groupKeys)));
		}
		return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply((done) -> {
			Map<String, KeyValue<String, byte[]>> byKey = new HashMap<>(keys.length * 2);
			for (CompletableFuture<List<KeyValue<String, byte[]>>> part : parts) {
				for (KeyValue<String, byte[]> kv : part.join()) {
					byKey.put(kv.getKey(), kv);
				}
			}
			List<KeyValue<String, byte[]>> ordered = new ArrayList<>(keys.length);
			for (String key : keys) {
				KeyValue<String, byte[]> kv = byKey.get(key);
				ordered.add((kv != null) ? kv : KeyValue.empty(key));
			}
			return ordered;
		});
	}

	/** UNLINK of {@code keys}, one per slot on a cluster; how many were removed. */
	static CompletableFuture<Long> unlink(Route route, String[] keys) {
		if (route instanceof Link single) {
			return single.send((r) -> r.unlink(keys));
		}
		CompletableFuture<Long> total = CompletableFuture.completedFuture(0L);
		for (List<String> group : of(keys)) {
			String[] groupKeys = group.toArray(String[]::new);
			total = total.thenCombine(route.forKey(groupKeys[0]).send((r) -> r.unlink(groupKeys)),
					(a, b) -> a + ((b != null) ? b : 0));
		}
		return total;
	}

	/** PING of every master: {@code PONG} when each answered so. */
	static CompletableFuture<String> ping(Route route) {
		List<Route> masters = route.masters();
		if (masters.isEmpty()) {
			return CompletableFuture.failedFuture(new io.lettuce.core.RedisConnectionException("No cluster master known"));
		}
		CompletableFuture<String> all = CompletableFuture.completedFuture("PONG");
		for (Route master : masters) {
			all = all.thenCombine(master.send((r) -> r.ping()), (a, b) -> "PONG".equals(a) ? b : a);
		}
		return all;
	}

}
