package io.cachekit.core.serialization;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The codec of each algorithm, made once on first use. A codec whose library is missing from the
 * class path (an optional dependency the application did not add) answers an
 * {@link IllegalStateException} naming the dependency to add, every time it is asked for.
 */
final class Codecs {

	private static final Map<CompressionAlgorithm, Object> made = new EnumMap<>(CompressionAlgorithm.class);

	private Codecs() {
	}

	/**
	 * The codec of {@code algorithm} (not {@code NONE}).
	 * @throws IllegalStateException when its library is not on the class path
	 */
	static Codec of(CompressionAlgorithm algorithm) {
		Object codec;
		synchronized (made) {
			codec = made.computeIfAbsent(algorithm, Codecs::make);
		}
		if (codec instanceof Codec ready) {
			return ready;
		}
		throw new IllegalStateException((String) codec);
	}

	/** The codec, or the sentence saying why there is none. */
	private static Object make(CompressionAlgorithm algorithm) {
		return switch (algorithm) {
			case LZ4 -> attempt(Lz4Codec::new, "LZ4 compression needs lz4-java on the class path"
					+ " (Maven: at.yawk.lz4:lz4-java, an optional dependency of cache-core)");
			case ZSTD -> attempt(ZstdCodec::new, "zstd compression needs zstd-jni on the class path"
					+ " (Maven: com.github.luben:zstd-jni, an optional dependency of cache-core)");
			case NONE -> throw new IllegalArgumentException("NONE has no codec");
		};
	}

	private static Object attempt(Supplier<Codec> codec, String missing) {
		try {
			return codec.get();
		}
		catch (LinkageError ex) {
			// NoClassDefFoundError for a missing jar, UnsatisfiedLinkError for a missing native library
			return missing + ": " + ex;
		}
	}

}
