package io.cachekit.redis.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;

/**
 * Deletes every key matching a pattern, SCAN page by SCAN page (never KEYS), each page's keys
 * with one UNLINK. Each command is bounded and proven on its own through {@link Link#send}, so a
 * long scan through a big keyspace is not cut short by one deadline.
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
		// every master's keys: on a cluster each master is walked on its own connection
		CompletionStage<Long> total = CompletableFuture.completedFuture(0L);
		for (Route master : route.masters()) {
			total = total.thenCompose((sum) -> page(master, null, ScanArgs.Builder.matches(pattern).limit(PAGE), sum));
		}
		return total;
	}

	private static CompletionStage<Long> page(Route link, @Nullable ScanCursor cursor, ScanArgs args, long removed) {
		CompletionStage<KeyScanCursor<String>> scan = link.send((r) -> (cursor != null) ? r.scan(cursor, args) : r.scan(args));
		return scan.thenCompose((page) -> {
			String next = page.getCursor();
			if (!page.isFinished() && (next == null || next.isEmpty() || !next.chars().allMatch((ch) -> ch >= '0' && ch <= '9'))) {
				// a reply of the wrong shape: Redis' cursors are decimal numbers, and going on would SCAN for good
				throw new IllegalStateException("SCAN answered '" + next + "' where a cursor was expected");
			}
			List<String> found = page.getKeys();
			CompletionStage<Long> unlinked = found.isEmpty() ? CompletableFuture.completedFuture(0L)
					: SlotGroups.unlink(link, found.toArray(String[]::new));
			return unlinked.thenCompose((n) -> {
				long total = removed + ((n != null) ? n : 0);
				return page.isFinished() ? CompletableFuture.completedFuture(total) : page(link, page, args, total);
			});
		});
	}

}
