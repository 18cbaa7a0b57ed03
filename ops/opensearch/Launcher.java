/*
 * Local OpenSearch 2.19 node for development and CI, started from Maven Central jars.
 *
 * Single-file source program (no compile step):
 *
 *   java -Xms1g -Xmx1g -cp "$(cat .local/opensearch/classpath.txt)" ops/opensearch/Launcher.java \
 *        --home .local/opensearch/node1 --http-port 9200 --transport-port 9300
 *
 * Normally started through ops/opensearch/start.sh or cluster.sh (see README.md).
 *
 * Options (each may also be given as a system property -Dlauncher.<option>, e.g. -Dlauncher.http-port=9200):
 *   --home DIR               node home (config/ with log4j2.properties is written there)   [required]
 *   --data DIR               path.data                               [HOME/data]
 *   --logs DIR               path.logs                               [HOME/logs]
 *   --cluster-name NAME      cluster.name                            [ods-local]
 *   --node-name NAME         node.name                               [node1]
 *   --host ADDR              network.host                            [127.0.0.1]
 *   --http-port N            http.port (a single port: a busy port fails fast)      [9200]
 *   --transport-port N       transport.port                          [http port + 100]
 *   --seed-hosts H:P,...     discovery.seed_hosts (switches to cluster mode)
 *   --initial-managers A,..  cluster.initial_cluster_manager_nodes (cluster mode)
 *   --max-buckets N          search.max_buckets                      [65535]
 *   --plugins CLASS,...      more classpath plugins, e.g. org.opensearch.security.OpenSearchSecurityPlugin
 *                            (ops/opensearch/secure-node.sh); with any, http.type/transport.type are
 *                            left to the plugins (the security plugin brings its TLS transports)
 *   -E key=value             any other node setting (repeatable)
 *
 * Without --seed-hosts/--initial-managers the node runs with discovery.type=single-node.
 * Prints "OPENSEARCH-LOCAL READY ..." on stdout once the node is started; on a startup failure prints
 * the stack trace and exits with status 1. SIGTERM/SIGINT close the node cleanly.
 */

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.geo.GeoModulePlugin;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.script.expression.ExpressionPlugin;
import org.opensearch.transport.Netty4Plugin;

public class Launcher {

    /** The modules a packaged 2.19 distribution would load, that our gateway relies on. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,          // http + transport
        CommonAnalysisPlugin.class,  // asciifolding, custom analyzers, stemmers, ...
        GeoModulePlugin.class,       // geo_shape mapper, geotile_grid, geohash_grid, geo_bounds
        ExpressionPlugin.class,      // "lang": "expression"
        PainlessPlugin.class,        // painless scripts
        ReindexPlugin.class,         // _reindex, _delete_by_query, _update_by_query
        MapperExtrasPlugin.class     // scaled_float, search_as_you_type, rank_feature, ...
    );

    /** Node subclass, only to reach the protected constructor that accepts classpath plugins. */
    static final class LocalNode extends Node {
        LocalNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    static final String USAGE = String.join("\n",
        "usage: java [jvm flags] -cp <classpath> Launcher.java --home DIR [options]",
        "  --data DIR  --logs DIR  --cluster-name NAME  --node-name NAME  --host ADDR",
        "  --http-port N  --transport-port N  --seed-hosts H:P,...  --initial-managers A,...",
        "  --max-buckets N  -E key=value (any node setting, repeatable)",
        "  every option may also be given as -Dlauncher.<option>=VALUE; see the comment at the top of Launcher.java");

    static final String LOG4J2_PROPERTIES = String.join("\n",
        "# Written by ops/opensearch/Launcher.java at every start: edit the launcher, not this file.",
        "status = error",
        "",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
        "",
        "appender.file.type = RollingFile",
        "appender.file.name = file",
        "appender.file.fileName = ${sys:opensearch.logs.base_path}${sys:file.separator}${sys:opensearch.logs.node_name}.log",
        "appender.file.filePattern = ${sys:opensearch.logs.base_path}${sys:file.separator}${sys:opensearch.logs.node_name}-%i.log.gz",
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
        "appender.file.policies.type = Policies",
        "appender.file.policies.size.type = SizeBasedTriggeringPolicy",
        "appender.file.policies.size.size = 32MB",
        "appender.file.strategy.type = DefaultRolloverStrategy",
        "appender.file.strategy.max = 3",
        "",
        "# deprecation warnings go to the HTTP 'Warning' response header (as on a packaged node) and the file",
        "appender.header_warning.type = HeaderWarningAppender",
        "appender.header_warning.name = header_warning",
        "logger.deprecation.name = org.opensearch.deprecation",
        "logger.deprecation.level = info",
        "logger.deprecation.appenderRef.header_warning.ref = header_warning",
        "logger.deprecation.appenderRef.file.ref = file",
        "logger.deprecation.additivity = false",
        "",
        "rootLogger.level = info",
        "rootLogger.appenderRef.console.ref = console",
        "rootLogger.appenderRef.file.ref = file",
        "",
        "# quieter startup",
        "logger.plugins.name = org.opensearch.plugins.PluginsService",
        "logger.plugins.level = warn",
        "logger.env.name = org.opensearch.env.NodeEnvironment",
        "logger.env.level = warn",
        "logger.monitor.name = org.opensearch.monitor",
        "logger.monitor.level = warn",
        ""
    );

    public static void main(String[] argv) {
        // as the packaged node does: log4j must not stop on its own shutdown hook before the node is closed
        System.setProperty("log4j.shutdownHookEnabled", "false");
        System.setProperty("log4j2.disable.jmx", "true");
        // must run before anything touches log4j, LogConfigurator.configure checks it
        LogConfigurator.registerErrorListener();
        // OpenSearch redirects System.out/err into log4j; keep the raw streams for our own messages
        final PrintStream out = System.out;
        final PrintStream err = System.err;

        final Options o;
        try {
            o = Options.parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("opensearch-local: " + e.getMessage());
            err.println(USAGE);
            System.exit(2);
            return;
        }
        if (o == null) { // --help
            out.println(USAGE);
            return;
        }

        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicBoolean closing = new AtomicBoolean(false);
        Node node = null;
        try {
            Environment env = prepare(o);
            LogConfigurator.setNodeName(o.nodeName); // for %node_name in the log pattern
            LogConfigurator.configure(env);

            List<Class<? extends Plugin>> plugins = new ArrayList<>(PLUGINS);
            for (String name : o.plugins) plugins.add(Class.forName(name).asSubclass(Plugin.class));
            final Node n = new LocalNode(env, plugins);
            node = n;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (closing.compareAndSet(false, true)) {
                    try {
                        n.close();
                        if (!n.awaitClose(20, TimeUnit.SECONDS)) {
                            err.println("opensearch-local: node did not close within 20s");
                        } else {
                            out.println("opensearch-local: node " + o.nodeName + " closed");
                        }
                    } catch (Throwable e) {
                        e.printStackTrace(err);
                    } finally {
                        stopped.countDown();
                        Configurator.shutdown((LoggerContext) LogManager.getContext(false));
                    }
                }
            }, "opensearch-local-shutdown"));

            long t0 = System.nanoTime();
            n.start();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            String http = String.valueOf(n.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress());
            out.println("OPENSEARCH-LOCAL READY node=" + o.nodeName + " cluster=" + o.clusterName
                + " http=" + http + " transport_port=" + o.transportPort
                + " mode=" + (o.clusterMode() ? "cluster" : "single-node") + " start_ms=" + ms
                + " jvm_uptime_ms=" + ManagementFactory.getRuntimeMXBean().getUptime());
            out.flush();
        } catch (Throwable t) {
            t.printStackTrace(err);
            // one summary line last, so that a short log tail shows the reason
            StringBuilder why = new StringBuilder(String.valueOf(t));
            for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                why.append(" <- caused by: ").append(c);
            }
            err.println("opensearch-local: STARTUP FAILED: " + why);
            err.flush();
            if (node != null && closing.compareAndSet(false, true)) {
                try {
                    node.close();
                } catch (Throwable ignored) {
                    // best effort
                }
            }
            Runtime.getRuntime().halt(1);
        }

        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Environment prepare(Options o) throws IOException {
        Path home = o.home.toAbsolutePath().normalize();
        Path config = home.resolve("config");
        Files.createDirectories(config);
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("modules"));
        Files.createDirectories(o.data);
        Files.createDirectories(o.logs);
        Files.writeString(config.resolve("log4j2.properties"), LOG4J2_PROPERTIES, StandardCharsets.UTF_8);

        Settings.Builder b = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", o.data.toAbsolutePath().normalize().toString())
            .put("path.logs", o.logs.toAbsolutePath().normalize().toString())
            .put("cluster.name", o.clusterName)
            .put("node.name", o.nodeName)
            .put("network.host", o.host)
            .put("http.port", String.valueOf(o.httpPort))
            .put("transport.port", String.valueOf(o.transportPort))
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", "true")
            .put("search.max_buckets", o.maxBuckets);
        if (o.plugins.isEmpty()) {
            b.put("http.type", "netty4").put("transport.type", "netty4");
        }
        if (o.clusterMode()) {
            if (o.seedHosts != null) b.putList("discovery.seed_hosts", o.seedHosts.split(","));
            if (o.initialManagers != null) b.putList("cluster.initial_cluster_manager_nodes", o.initialManagers.split(","));
        } else {
            b.put("discovery.type", "single-node");
        }
        for (Map.Entry<String, String> e : o.extra.entrySet()) {
            b.put(e.getKey(), e.getValue());
        }
        final String nodeName = o.nodeName;
        return InternalSettingsPreparer.prepareEnvironment(b.build(), Map.of(), null, () -> nodeName);
    }

    static final class Options {
        Path home, data, logs;
        String clusterName, nodeName, host, seedHosts, initialManagers;
        int httpPort, transportPort, maxBuckets;
        final Map<String, String> extra = new LinkedHashMap<>();
        final List<String> plugins = new ArrayList<>();

        boolean clusterMode() {
            return seedHosts != null || initialManagers != null;
        }

        static Options parse(String[] argv) {
            Map<String, String> a = new LinkedHashMap<>();
            Map<String, String> extra = new LinkedHashMap<>();
            List<String> args = new ArrayList<>(List.of(argv));
            for (int i = 0; i < args.size(); i++) {
                String k = args.get(i);
                if (k.equals("-h") || k.equals("--help")) {
                    return null;
                }
                if (i + 1 >= args.size()) throw new IllegalArgumentException("missing value for " + k);
                String v = args.get(++i);
                if (k.equals("-E")) {
                    int eq = v.indexOf('=');
                    if (eq <= 0) throw new IllegalArgumentException("-E expects key=value, got " + v);
                    extra.put(v.substring(0, eq), v.substring(eq + 1));
                } else if (k.startsWith("--")) {
                    a.put(k.substring(2), v);
                } else {
                    throw new IllegalArgumentException("unknown argument " + k);
                }
            }
            Options o = new Options();
            String home = opt(a, "home", null);
            if (home == null) throw new IllegalArgumentException("--home is required");
            o.home = Paths.get(home);
            o.data = Paths.get(opt(a, "data", o.home.resolve("data").toString()));
            o.logs = Paths.get(opt(a, "logs", o.home.resolve("logs").toString()));
            o.clusterName = opt(a, "cluster-name", "ods-local");
            o.nodeName = opt(a, "node-name", "node1");
            o.host = opt(a, "host", "127.0.0.1");
            o.httpPort = Integer.parseInt(opt(a, "http-port", "9200"));
            o.transportPort = Integer.parseInt(opt(a, "transport-port", String.valueOf(o.httpPort + 100)));
            o.maxBuckets = Integer.parseInt(opt(a, "max-buckets", "65535"));
            o.seedHosts = opt(a, "seed-hosts", null);
            o.initialManagers = opt(a, "initial-managers", null);
            String plugins = opt(a, "plugins", null);
            if (plugins != null) for (String c : plugins.split(",")) if (!c.isBlank()) o.plugins.add(c.trim());
            o.extra.putAll(extra);
            if (!a.isEmpty()) throw new IllegalArgumentException("unknown option(s): " + a.keySet());
            return o;
        }

        private static String opt(Map<String, String> a, String key, String def) {
            String v = a.remove(key);
            if (v == null) v = System.getProperty("launcher." + key);
            return (v == null || v.isEmpty()) ? def : v;
        }
    }
}
