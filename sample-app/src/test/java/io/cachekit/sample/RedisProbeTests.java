package io.cachekit.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.FaultProxy;
import io.cachekit.test.RedisExtension;

/** The probe tells a Redis that answers from one that is silent and from nothing at all. */
class RedisProbeTests {

	private static final Duration TIMEOUT = Duration.ofMillis(300);

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	@Test
	void aRedisAnswers() {
		assertThat(RedisProbe.probe(redis.process().host(), redis.process().port(), TIMEOUT)).isEqualTo(RedisProbe.ANSWERS);
	}

	@Test
	void somethingThatAcceptsButNeverAnswersIsSilent() {
		try (FaultProxy proxy = FaultProxy.start(redis.url())) {
			proxy.blackhole();
			assertThat(RedisProbe.probe("127.0.0.1", proxy.port(), TIMEOUT)).isEqualTo(RedisProbe.SILENT);
			proxy.pass();
			assertThat(RedisProbe.probe("127.0.0.1", proxy.port(), TIMEOUT)).isEqualTo(RedisProbe.ANSWERS);
		}
	}

	@Test
	void aClosedPortHasNothingListening() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		assertThat(RedisProbe.probe("127.0.0.1", port, TIMEOUT)).isEqualTo(RedisProbe.NOTHING_LISTENS);
	}

}
