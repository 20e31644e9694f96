package dataos.devstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.trino.plugin.iceberg.IcebergPlugin;
import io.trino.plugin.memory.MemoryPlugin;
import io.trino.server.testing.TestingTrinoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Runs Trino (Minerva's engine) in process on loopback with one Iceberg catalog per lakehouse
 * depot (file metastore, tables and metadata under the warehouse) and a `memory` catalog.
 *
 * Args: port warehouse catalog... where warehouse is a local folder or s3://bucket[/prefix]; for
 * S3 the variables S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and S3_REGION say where and
 * how (credentials stay out of the command line). The bucket is created when missing.
 */
public final class TrinoLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: TrinoLauncher port warehouse catalog...");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    String warehouse = args[1].replaceAll("/+$", "");
    List<String> catalogs = List.of(args).subList(2, args.length);

    Map<String, String> storage = warehouse.startsWith("s3://") ? s3Storage(warehouse) : localStorage(warehouse);

    TestingTrinoServer server = TestingTrinoServer.builder()
        .setProperties(Map.of(
            "http-server.http.port", String.valueOf(port)))
        .build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("trino: " + e);
      }
    }));

    server.installPlugin(new IcebergPlugin());
    server.installPlugin(new MemoryPlugin());
    for (String catalog : catalogs) {
      Map<String, String> properties = new HashMap<>(storage);
      properties.put("iceberg.catalog.type", "TESTING_FILE_METASTORE");
      properties.put("hive.metastore.catalog.dir", storage.get("dataos.root") + "/" + catalog);
      properties.remove("dataos.root");
      server.createCatalog(catalog, "iceberg", properties);
    }
    server.createCatalog("memory", "memory", Map.of());

    System.out.println("trino listening on " + server.getBaseUrl() + " (catalogs " + catalogs + " in " + warehouse + ")");
    new CountDownLatch(1).await();
  }

  /** Tables under a local folder, through Trino's native local file system (local:///...). */
  private static Map<String, String> localStorage(String folder) throws Exception {
    Path root = Files.createDirectories(Path.of(folder).toAbsolutePath());
    return Map.of(
        "fs.native-local.enabled", "true",
        "local.location", root.toString(),
        "dataos.root", "local://");
  }

  /** Tables on an S3-compatible server through Trino's native S3 file system, path-style. */
  private static Map<String, String> s3Storage(String warehouse) {
    String endpoint = required("S3_ENDPOINT");
    String accessKey = required("S3_ACCESS_KEY_ID");
    String secretKey = required("S3_SECRET_ACCESS_KEY");
    String region = System.getenv().getOrDefault("S3_REGION", "us-east-1");
    String bucket = URI.create(warehouse).getHost();
    ensureBucket(endpoint, accessKey, secretKey, region, bucket);
    return Map.of(
        "fs.native-s3.enabled", "true",
        "s3.endpoint", endpoint,
        "s3.region", region,
        "s3.path-style-access", "true",
        "s3.aws-access-key", accessKey,
        "s3.aws-secret-key", secretKey,
        "dataos.root", warehouse);
  }

  private static void ensureBucket(String endpoint, String accessKey, String secretKey, String region, String bucket) {
    try (S3Client s3 = S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(region))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build()) {
      try {
        s3.headBucket(b -> b.bucket(bucket));
      } catch (NoSuchBucketException missing) {
        try {
          s3.createBucket(b -> b.bucket(bucket));
          System.out.println("trino: created bucket " + bucket);
        } catch (BucketAlreadyOwnedByYouException raced) {
          // Created by someone else in between: fine.
        }
      }
    }
  }

  private static String required(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be set for an s3:// warehouse");
    }
    return value;
  }
}
