package io.cachekit.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A TLS-only {@code redis-server} on a loopback port, with a self-signed certificate for
 * {@code 127.0.0.1}/{@code localhost} that {@code openssl} makes for the test (the certificate is
 * also the CA to trust). Needs {@code openssl} and a TLS-capable server: Debian's is, the embedded
 * one is not (see {@link #isSupported()}). {@link #close()} stops the server and deletes the
 * certificate.
 */
public final class TlsRedis implements AutoCloseable {

	private final Path certs;

	private final RedisProcess process;

	private TlsRedis(Path certs, RedisProcess process) {
		this.certs = certs;
		this.process = process;
	}

	/** Whether this machine can run one: a TLS-capable redis-server. */
	public static boolean isSupported() {
		return RedisBinary.supportsTls();
	}

	/** Makes a certificate and starts the server; it listens when this returns. */
	public static TlsRedis start() {
		Path certs;
		try {
			certs = Files.createTempDirectory("cachekit-tls-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			makeCertificate(certs);
			int port = RedisProcess.freePort();
			RedisProcess process = RedisProcess.start(port, "--port", "0", "--tls-port", Integer.toString(port),
					"--tls-cert-file", certs.resolve("cert.pem").toString(), "--tls-key-file",
					certs.resolve("key.pem").toString(), "--tls-ca-cert-file", certs.resolve("cert.pem").toString(),
					"--tls-auth-clients", "no");
			return new TlsRedis(certs, process);
		}
		catch (RuntimeException ex) {
			RedisProcess.deleteRecursively(certs);
			throw ex;
		}
	}

	private static void makeCertificate(Path certs) {
		Path log = certs.resolve("openssl.log");
		try {
			Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
					"-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout",
					certs.resolve("key.pem").toString(), "-out", certs.resolve("cert.pem").toString())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
				openssl.destroyForcibly();
				throw new IllegalStateException("openssl could not make a test certificate: " + Files.readString(log));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run openssl (is it installed?)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public int port() {
		return this.process.port();
	}

	/** {@code rediss://127.0.0.1:<port>}. */
	public String url() {
		return "rediss://127.0.0.1:" + port();
	}

	/** The server's certificate (PEM), which is also the CA a client must trust. */
	public Path certificate() {
		return this.certs.resolve("cert.pem");
	}

	@Override
	public void close() {
		this.process.close();
		RedisProcess.deleteRecursively(this.certs);
	}

}
