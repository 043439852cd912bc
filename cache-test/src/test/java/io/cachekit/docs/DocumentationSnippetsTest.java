package io.cachekit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and docs/*.md compiles, with the imports it shows, against
 * this module's test class path (cache-core, the starter, the in-memory engine, Spring Boot's test
 * support and {@code spring-boot-cache-test}), so what a reader copies compiles.
 *
 * <p>The convention, so that snippets stay short (docs/building.md repeats it):
 * <ul>
 * <li>A block whose code (after its imports) declares a type at the start of a line, or starts with an
 * annotation, is a compilation unit and is compiled as it is.</li>
 * <li>Any other block is a fragment: its statements are compiled as the body of a method. Variables it
 * uses but does not declare are named in an HTML comment right above the block, {@code <!-- given:
 * io.cachekit.core.CacheBackend<Object> cache; String clientId -->} (fully qualified, since the reader
 * does not see them), and become fields of the wrapping class.</li>
 * <li>The reader's own types the docs use ({@code Product}, {@code Category}, {@code ProductRepository},
 * {@code ProductService}) are provided beside every block that does not declare them itself.</li>
 * </ul>
 * Each block is compiled in a package of its own, so blocks may declare the same names.
 */
class DocumentationSnippetsTest {

	private static final Path ROOT = Path.of("..");

	private static final Pattern FENCE = Pattern.compile("(?m)^([ \\t]*)```java[ \\t]*\\n(.*?)^\\1```[ \\t]*$",
			Pattern.DOTALL);

	private static final Pattern GIVEN = Pattern.compile("<!--\\s*given:(.*?)-->\\s*\\z", Pattern.DOTALL);

	private static final Pattern TYPE_DECLARATION = Pattern
		.compile("(?m)^(@[A-Z]|(public |abstract |final |static )*(class|record|interface|enum) )");

	private static final Pattern PUBLIC_TYPE = Pattern
		.compile("(?m)^public (abstract |final )*(class|record|interface|enum) (\\w+)");

	/** The reader's own types, by name: added to a block's package unless the block declares the name. */
	private static final List<String[]> READER_TYPES = List.of(
			new String[] { "Product", "public record Product(String id, String name) implements java.io.Serializable { }" },
			new String[] { "Category", "public record Category(String name) implements java.io.Serializable { }" },
			new String[] { "ProductRepository", "public interface ProductRepository { Product find(String id); }" },
			new String[] { "ProductService", "public class ProductService { public Product find(String id) { return null; } }" });

	@Test
	void everyJavaSnippetInReadmeAndDocsCompilesWithItsImports(@TempDir Path out) throws IOException {
		List<Snippet> snippets = new ArrayList<>();
		snippets.addAll(snippets(ROOT.resolve("README.md")));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			for (Path doc : docs.filter((p) -> p.toString().endsWith(".md")).sorted().toList()) {
				snippets.addAll(snippets(doc));
			}
		}
		assertThat(snippets).as("java blocks found in README.md and docs/").hasSizeGreaterThan(10);
		assertThat(snippets).as("README.md shows Spring Boot and plain Java with imports")
			.filteredOn((s) -> s.file().endsWith("README.md") && s.code().contains("import "))
			.hasSizeGreaterThanOrEqualTo(2);

		List<JavaFileObject> sources = new ArrayList<>();
		for (int i = 0; i < snippets.size(); i++) {
			sources.addAll(sources(snippets.get(i), "snippets.s" + i));
		}
		JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		assertThat(javac).as("a JDK's compiler").isNotNull();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
			List<String> options = List.of("-proc:none", "-d", out.toString(), "-classpath", testClassPath());
			javac.getTask(new StringWriter(), files, diagnostics, options, null, sources).call();
		}
		List<String> errors = diagnostics.getDiagnostics()
			.stream()
			.filter((d) -> d.getKind() == Diagnostic.Kind.ERROR)
			.map(DocumentationSnippetsTest::describe)
			.toList();
		assertThat(errors).as("snippets that do not compile").isEmpty();
	}

	private static String testClassPath() {
		// surefire may start the JVM through a manifest-only jar; it names the real path here
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	private static List<Snippet> snippets(Path file) throws IOException {
		String text = Files.readString(file);
		List<Snippet> found = new ArrayList<>();
		Matcher fence = FENCE.matcher(text);
		while (fence.find()) {
			String indent = fence.group(1);
			String code = fence.group(2).replaceAll("(?m)^" + Pattern.quote(indent), "");
			Matcher given = GIVEN.matcher(text.substring(0, fence.start()));
			String givens = given.find() ? given.group(1).trim() : "";
			int line = (int) text.substring(0, fence.start()).chars().filter((c) -> c == '\n').count() + 1;
			found.add(new Snippet(ROOT.relativize(file).toString(), line, code, givens));
		}
		return found;
	}

	private static List<JavaFileObject> sources(Snippet snippet, String pkg) {
		List<String> imports = new ArrayList<>();
		List<String> body = new ArrayList<>();
		for (String line : snippet.code().split("\n", -1)) {
			if (body.stream().allMatch(String::isBlank) && line.startsWith("import ")) {
				imports.add(line);
			}
			else {
				body.add(line);
			}
		}
		String code = String.join("\n", body);
		String header = "package " + pkg + ";\n" + String.join("\n", imports) + "\n";
		List<JavaFileObject> sources = new ArrayList<>();
		String unit;
		if (TYPE_DECLARATION.matcher(code).find()) {
			unit = header + code;
		}
		else {
			StringBuilder fields = new StringBuilder();
			for (String declaration : snippet.givens().split(";")) {
				if (!declaration.isBlank()) {
					fields.append("    ").append(declaration.trim()).append(";\n");
				}
			}
			unit = header + "class Fragment {\n" + fields + "  void fragment() throws Exception {\n" + code
					+ "\n  }\n}\n";
		}
		Matcher publicType = PUBLIC_TYPE.matcher(code);
		sources.add(new Source(pkg, publicType.find() ? publicType.group(3) : "Snippet", unit, snippet));
		for (String[] type : READER_TYPES) {
			if (!Pattern.compile("(class|record|interface|enum) " + type[0] + "\\b").matcher(code).find()) {
				sources.add(new Source(pkg, type[0], "package " + pkg + ";\n" + type[1] + "\n", null));
			}
		}
		return sources;
	}

	private static String describe(Diagnostic<? extends JavaFileObject> d) {
		String where = (d.getSource() instanceof Source source && source.snippet != null)
				? source.snippet.file() + " (block at line " + source.snippet.line() + ")"
				: String.valueOf(d.getSource());
		String line = "";
		if (d.getSource() != null) {
			try {
				String[] lines = d.getSource().getCharContent(true).toString().split("\n", -1);
				line = (d.getLineNumber() > 0 && d.getLineNumber() <= lines.length)
						? " in `" + lines[(int) d.getLineNumber() - 1].trim() + "`" : "";
			}
			catch (IOException ex) {
				// the message alone is enough
			}
		}
		return where + ": " + d.getMessage(Locale.ROOT) + line;
	}

	private record Snippet(String file, int line, String code, String givens) {
	}

	/** A source held in memory, named after its public type (javac checks that), else {@code Snippet}. */
	private static final class Source extends SimpleJavaFileObject {

		private final String code;

		private final Snippet snippet;

		Source(String pkg, String name, String code, Snippet snippet) {
			super(URI.create("string:///" + pkg.replace('.', '/') + "/" + name + ".java"), Kind.SOURCE);
			this.code = code;
			this.snippet = snippet;
		}

		@Override
		public CharSequence getCharContent(boolean ignoreEncodingErrors) {
			return this.code;
		}

	}

}
