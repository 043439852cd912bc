package io.cachekit.core.serialization;

/**
 * One compression library behind {@link CompressingSerializer}. Implementations are stateless and
 * thread-safe; each lives in its own class, loaded only when its algorithm is used, so a missing
 * optional library is an error of that algorithm alone.
 */
interface Codec {

	/** {@code plain} compressed. */
	byte[] compress(byte[] plain);

	/**
	 * Decompresses {@code length} bytes of {@code source} from {@code offset} into {@code target},
	 * exactly filling it: output past its end is refused, so a value never inflates past the size
	 * its header declared (checked against the limit before {@code target} was allocated).
	 * @throws RuntimeException when the bytes are not a compressed value of exactly that size
	 */
	void decompress(byte[] source, int offset, int length, byte[] target);

}
