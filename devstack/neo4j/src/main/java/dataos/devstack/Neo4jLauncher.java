package dataos.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community embedded with Bolt on loopback, APOC core loaded from a plugin folder.
 * Args: dataDir pluginDir [port]. Stops cleanly on SIGTERM/SIGINT so the store is not left dirty.
 */
public final class Neo4jLauncher {
  public static void main(String[] args) throws Exception {
    Path data = Path.of(args.length > 0 ? args[0] : ".data/neo4j").toAbsolutePath();
    Path plugins = Path.of(args.length > 1 ? args[1] : "target/plugins").toAbsolutePath();
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 7687;

    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(data)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, false)
        .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
        .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
        .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of("apoc.*", "db.*", "dbms.*", "tx.*"))
        // Bolt's netty loops otherwise wait a quiet period of seconds on shutdown: 10 s per stop.
        .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
        .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
        .build();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      dbms.shutdown();
      stopped.countDown();
    }));

    GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    db.executeTransactionally("RETURN 1");
    System.out.println("neo4j listening on bolt://127.0.0.1:" + port + " (data " + data + ")");
    stopped.await();
  }
}
