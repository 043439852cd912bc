package io.cachekit.redis.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.output.KeyScanOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

/**
 * Deletes every key matching a pattern, SCAN page by SCAN page (never KEYS), each page's keys
 * with one UNLINK. Each command is bounded and proven on its own through {@link Link#send}, so a
 * long scan through a big keyspace is not cut short by one deadline.
 * <p>
 * A SCAN reply of the wrong shape ends the walk with a failure (which the failure policy reads as
 * {@code REDIS_ERROR}, a backend failure): Lettuce reads a lone value as a cursor with no keys,
 * which is never finished, so going on would SCAN for good.
 */
final class KeyspaceScan {

	private static final int PAGE = 1000;

	private KeyspaceScan() {
	}

	/**
	 * Unlinks every key matching {@code pattern}.
	 * @return a future of how many keys were removed
	 */
	static CompletionStage<Long> unlinkMatching(Route route, String pattern) {
		return unlinkMatching(route, pattern, (key) -> true);
	}

	/**
	 * Unlinks every key matching {@code pattern} that {@code remove} accepts (told the whole
	 * Redis key): a page's keys it refuses stay.
	 * @return a future of how many keys were removed
	 */
	static CompletionStage<Long> unlinkMatching(Route route, String pattern, Predicate<String> remove) {
		// every master's keys: on a cluster each master is walked on its own connection
		CompletionStage<Long> total = CompletableFuture.completedFuture(0L);
		for (Route master : route.masters()) {
			total = total.thenCompose((sum) -> page(master, null, ScanArgs.Builder.matches(pattern).limit(PAGE), remove, sum));
		}
		return total;
	}

	private static CompletionStage<Long> page(Route link, @Nullable ScanCursor cursor, ScanArgs args,
			Predicate<String> remove, long removed) {
		return scan(link, cursor, args).thenCompose((page) -> {
			List<String> found = page.getKeys().stream().filter(remove).toList();
			CompletionStage<Long> unlinked = found.isEmpty() ? CompletableFuture.completedFuture(0L)
					: SlotGroups.unlink(link, found.toArray(String[]::new));
			return unlinked.thenCompose((n) -> {
				long total = removed + ((n != null) ? n : 0);
				return page.isFinished() ? CompletableFuture.completedFuture(total) : page(link, page, args, remove, total);
			});
		});
	}

	/** One SCAN, its reply checked: a page, or a failed future when the reply cannot be one. */
	private static CompletionStage<KeyScanCursor<String>> scan(Route link, @Nullable ScanCursor cursor, ScanArgs args) {
		// every route ends on one node's own connection (a cluster's masters are walked one by one)
		ShapedScanOutput shaped = new ShapedScanOutput();
		CommandArgs<String, byte[]> commandArgs = new CommandArgs<>(RedisConnector.CODEC)
			.add((cursor != null) ? cursor.getCursor() : ScanCursor.INITIAL.getCursor());
		args.build(commandArgs);
		CompletionStage<KeyScanCursor<String>> scan = link.send((r) -> r.dispatch(CommandType.SCAN, shaped, commandArgs));
		return scan.thenApply((page) -> {
			if (page == null || !shaped.isWellFormed()) {
				throw new IllegalStateException("SCAN answered a reply of the wrong shape (not [cursor, keys])");
			}
			String next = page.getCursor();
			if (!page.isFinished() && (next == null || next.isEmpty() || !next.chars().allMatch((ch) -> ch >= '0' && ch <= '9')
					|| (cursor != null && !next.equals("0") && next.equals(cursor.getCursor())))) {
				// Redis' cursors are decimal numbers, and a server never answers the cursor it was
				// given (each SCAN moves it on): the same one again would be a walk that never ends.
				throw new IllegalStateException("SCAN answered '" + next + "' where a new cursor was expected");
			}
			return page;
		});
	}

	/**
	 * Lettuce's SCAN output, remembering whether the reply had SCAN's shape: an array of two, the
	 * cursor then an array of keys. Lettuce itself reads a lone value as a cursor.
	 */
	private static final class ShapedScanOutput extends KeyScanOutput<String, byte[]> {

		/** Arrays begun: the reply's own, then the keys'. */
		private int arrays;

		private boolean topLevelOfTwo;

		/** A value arrived before any array: a lone value, not SCAN's reply. */
		private boolean loneValue;

		ShapedScanOutput() {
			super(RedisConnector.CODEC);
		}

		@Override
		public void multi(int count) {
			if (this.arrays == 0) {
				this.topLevelOfTwo = (count == 2);
			}
			this.arrays++;
			super.multi(count);
		}

		@Override
		public void set(@Nullable ByteBuffer bytes) {
			if (this.arrays == 0) {
				this.loneValue = true;
			}
			super.set(bytes);
		}

		boolean isWellFormed() {
			return !this.loneValue && this.topLevelOfTwo && this.arrays == 2;
		}

	}

}
