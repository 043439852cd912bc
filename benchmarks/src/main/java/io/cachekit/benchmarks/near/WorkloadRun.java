package io.cachekit.benchmarks.near;

import org.jspecify.annotations.Nullable;

import io.cachekit.benchmarks.support.Zipfian;

/**
 * One trial of a workload against one client: the data set loaded, the client open, the key
 * distribution, and the connection killer when the workload churns.
 */
public final class WorkloadRun implements AutoCloseable {

	private final Workload workload;

	private final NearClient client;

	private final Zipfian keys;

	private final String value;

	private final @Nullable ConnectionChurn churn;

	private WorkloadRun(Workload workload, NearClient client, @Nullable ConnectionChurn churn) {
		this.workload = workload;
		this.client = client;
		this.keys = new Zipfian(workload.keys(), 0.99);
		this.value = WorkloadData.value(workload);
		this.churn = churn;
	}

	/**
	 * Loads the data set (once per Redis), opens the client, reads the keys a near cache would
	 * hold in the steady state (the most frequent ones, as many as it holds) so that JMH's
	 * warm-up need not wait for the Zipfian tail, and, for a churning workload, starts killing
	 * connections.
	 * @param impl the client (see {@link NearClient#open})
	 * @param redisUrl {@code redis://host:port}
	 * @param workload the workload
	 * @return the running trial
	 */
	public static WorkloadRun start(String impl, String redisUrl, Workload workload) {
		WorkloadData.ensureLoaded(redisUrl, workload);
		NearClient client = NearClient.open(impl, redisUrl, workload);
		for (int i = 0; i < Math.min(workload.keys(), workload.nearEntries()); i++) {
			client.get(workload.key(i));
		}
		return new WorkloadRun(workload, client, workload.churn() ? ConnectionChurn.start(redisUrl) : null);
	}

	/** @return the workload */
	public Workload workload() {
		return this.workload;
	}

	/** @return the client under test */
	public NearClient client() {
		return this.client;
	}

	/** @return the distribution of key indexes */
	public Zipfian keys() {
		return this.keys;
	}

	/** @return the value writes write */
	public String value() {
		return this.value;
	}

	/** @return connections killed so far, or -1 when the workload does not churn */
	public long connectionsKilled() {
		return (this.churn != null) ? this.churn.killed() : -1;
	}

	/**
	 * One line on what the last iteration saw: operations that failed, connections killed, the
	 * client's near cache statistics.
	 * @param failed operations that failed
	 * @return the line
	 */
	public String describe(long failed) {
		long killed = connectionsKilled();
		return "  (failed operations: " + failed + ((killed >= 0) ? ", connections killed so far: " + killed : "") + ") "
				+ this.client.stats();
	}

	@Override
	public void close() {
		if (this.churn != null) {
			this.churn.close();
		}
		this.client.close();
	}

}
