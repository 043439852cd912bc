package io.cachekit.test;

import java.nio.charset.StandardCharsets;

/**
 * The Redis Cluster hash slot of a key, as Redis computes it (CRC16/XMODEM of the key, or of its
 * hash tag {@code {...}} when it has a non-empty one, modulo 16384), so that tests can choose keys
 * on a given master without asking a server.
 */
public final class ClusterSlots {

	/** The number of hash slots of a Redis Cluster. */
	public static final int SLOTS = 16384;

	private ClusterSlots() {
	}

	/**
	 * The slot of {@code key} (its UTF-8 bytes).
	 * @param key a key as sent to Redis, prefix included
	 * @return 0 to 16383
	 */
	public static int slot(String key) {
		byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
		int from = 0;
		int to = bytes.length;
		int open = indexOf(bytes, (byte) '{', 0);
		if (open >= 0) {
			int close = indexOf(bytes, (byte) '}', open + 1);
			if (close > open + 1) {
				from = open + 1;
				to = close;
			}
		}
		return crc16(bytes, from, to) % SLOTS;
	}

	private static int indexOf(byte[] bytes, byte wanted, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == wanted) {
				return i;
			}
		}
		return -1;
	}

	/** CRC16/XMODEM (polynomial 0x1021, initial 0), bit by bit: a few keys a test, no table needed. */
	private static int crc16(byte[] bytes, int from, int to) {
		int crc = 0;
		for (int i = from; i < to; i++) {
			crc ^= (bytes[i] & 0xFF) << 8;
			for (int bit = 0; bit < 8; bit++) {
				crc = ((crc & 0x8000) != 0) ? ((crc << 1) ^ 0x1021) : (crc << 1);
				crc &= 0xFFFF;
			}
		}
		return crc;
	}

}
