package io.cachekit.redis.internal;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.ValueOutput;

/**
 * The reply of a command that answers one value (GET): an array in its place is a reply of the
 * wrong shape, not a value. Lettuce's own {@link ValueOutput} would take each element of an array
 * as the value and keep the last, so {@code *2 a b} would read as a hit on {@code b}.
 */
final class SingleValueOutput<K, V> extends ValueOutput<K, V> {

	private static final String NOT_A_VALUE = "an aggregate reply where a single value was expected";

	SingleValueOutput(RedisCodec<K, V> codec) {
		super(codec);
	}

	@Override
	public void multi(int count) {
		setError(NOT_A_VALUE);
	}

	@Override
	public void multiArray(int count) {
		setError(NOT_A_VALUE);
	}

	@Override
	public void multiMap(int count) {
		setError(NOT_A_VALUE);
	}

	@Override
	public void multiSet(int count) {
		setError(NOT_A_VALUE);
	}

}
