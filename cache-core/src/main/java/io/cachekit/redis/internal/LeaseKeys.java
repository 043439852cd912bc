package io.cachekit.redis.internal;

import java.nio.charset.StandardCharsets;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.CRC16;

/**
 * Where the lease of an entry lives: {@code entryKey + "\0lease"}, and on a key without a hash
 * tag of its own a tag appended that puts the lease in the entry's hash slot
 * ({@code entryKey + "\0lease{" + tag + "}"}, the tag a short string of that slot), so that the
 * loading layer's fenced write (compare the lease, write the entry) is one script on a cluster
 * too. Keys whose first {@code '{'} is never closed, or is closed at once ({@code "{}"}), cannot
 * be given the entry's slot by a suffix: {@link #aligned} says so, and their fenced write checks
 * and writes in two steps. The layout is the same on every topology, so every instance agrees on it.
 */
final class LeaseKeys {

	/** Appended to a key for the key of its lease: no key of the bridge or of a typical application ends so. */
	static final String SUFFIX = "\u0000lease";

	private LeaseKeys() {
	}

	/** The lease key of the (prefixed) entry key {@code entryKey}. */
	static String of(String entryKey) {
		String plain = entryKey + SUFFIX;
		int slot = SlotHash.getSlot(entryKey);
		if (SlotHash.getSlot(plain) == slot) {
			return plain; // a hash tag of the key's own decides both
		}
		return plain + "{" + Tags.OF_SLOT[slot] + "}";
	}

	/** Whether {@code leaseKey} is in {@code entryKey}'s hash slot. */
	static boolean aligned(String entryKey, String leaseKey) {
		return SlotHash.getSlot(entryKey) == SlotHash.getSlot(leaseKey);
	}

	/** For each hash slot a short tag (digits and lower-case letters) hashing to it, found once. */
	private static final class Tags {

		static final String[] OF_SLOT = tags();

		private static String[] tags() {
			String[] tags = new String[SlotHash.SLOT_COUNT];
			int found = 0;
			// shortest first, so every JVM finds the same tag for a slot
			for (int n = 0; found < tags.length; n++) {
				String candidate = Integer.toString(n, 36);
				int slot = CRC16.crc16(candidate.getBytes(StandardCharsets.US_ASCII)) % SlotHash.SLOT_COUNT;
				if (tags[slot] == null) {
					tags[slot] = candidate;
					found++;
				}
			}
			return tags;
		}

	}

}
