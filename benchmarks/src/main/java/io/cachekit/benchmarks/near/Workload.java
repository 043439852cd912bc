package io.cachekit.benchmarks.near;

import java.util.Locale;

/**
 * One workload of the near cache's matrix: the keys (how many, Zipfian or one hot key), the size
 * of a value, the share of writes, how many entries the near cache holds, and whether the
 * client's connections are killed now and then.
 */
public enum Workload {

	/** 99% reads, Zipfian (s = 0.99) over 100,000 keys of 100 bytes; the near cache holds 10%. */
	ZIPF99("z", 100_000, 100, 1, 10_000, false),

	/** Every read of one key of 100 bytes, 1% writes of it. */
	HOTKEY("hot", 1, 100, 1, 10_000, false),

	/** 50% writes (through the same client), Zipfian over 100,000 keys of 100 bytes; 10% held. */
	ZIPF50("z", 100_000, 100, 50, 10_000, false),

	/** 99% reads, Zipfian over 1,000 keys of 100 KB; the near cache holds 10% (100 entries). */
	LARGE("big", 1_000, 100 * 1024, 1, 100, false),

	/** {@link #ZIPF99} while another connection kills the client's connections every second. */
	CHURN("z", 100_000, 100, 1, 10_000, true);

	private final String keyPrefix;

	private final int keys;

	private final int valueBytes;

	private final int writePercent;

	private final int nearEntries;

	private final boolean churn;

	Workload(String keyPrefix, int keys, int valueBytes, int writePercent, int nearEntries, boolean churn) {
		this.keyPrefix = keyPrefix;
		this.keys = keys;
		this.valueBytes = valueBytes;
		this.writePercent = writePercent;
		this.nearEntries = nearEntries;
		this.churn = churn;
	}

	/**
	 * The workload of a JMH parameter value ({@code zipf99}, {@code hotkey}, ...).
	 * @param name the name, any case
	 * @return the workload
	 */
	public static Workload of(String name) {
		return valueOf(name.toUpperCase(Locale.ROOT));
	}

	/**
	 * The key of index {@code i}, without any client's prefix; workloads over the same keys
	 * share them (and the data loaded for them).
	 * @param i the index, below {@link #keys()}
	 * @return the key
	 */
	public String key(int i) {
		return this.keyPrefix + i;
	}

	/**
	 * What the keys of this workload share: the name of the data set loaded for them.
	 * @return the key prefix
	 */
	public String dataSet() {
		return this.keyPrefix;
	}

	/** @return how many keys are read and written */
	public int keys() {
		return this.keys;
	}

	/** @return the size of each value, in bytes (ASCII) */
	public int valueBytes() {
		return this.valueBytes;
	}

	/** @return the share of operations that are writes, in percent */
	public int writePercent() {
		return this.writePercent;
	}

	/** @return how many entries a near cache holds */
	public int nearEntries() {
		return this.nearEntries;
	}

	/** @return whether the client's connections are killed every second */
	public boolean churn() {
		return this.churn;
	}

}
