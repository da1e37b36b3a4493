package tech.infernet.agent.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.infernet.agent.app.Agent;
import tech.infernet.protocol.logging.JsonLogFormatter;
import tech.infernet.agent.config.AgentConfig;
import tech.infernet.agent.config.ConfigException;
import tech.infernet.agent.config.ConfigLoader;
import tech.infernet.agent.config.Identity;
import tech.infernet.agent.config.StatePaths;

/** The {@code infernet-agent} command line. */
@Command(name = "infernet-agent", mixinStandardHelpOptions = true, version = Agent.VERSION,
    description = "Runs AI jobs on this machine for Infernet Edge.",
    subcommands = {Main.Init.class, Main.Run.class, Main.Status.class, Main.Jobs.class, Main.Acl.class,
        Main.Pair.class, tech.infernet.agent.hardware.HardwareCommand.class})
public final class Main {
  @Option(names = "--state-dir", description = "State directory (default: $STATE_DIRECTORY, else XDG data dir)")
  Path stateDir;

  @Option(names = "--config", description = "Config file (default: <state dir>/config.json)")
  Path config;

  @Option(names = "--api", description = "Admin API base URL (default from the config)")
  String api;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  Path stateDir() {
    return stateDir != null ? stateDir : StatePaths.stateDir(System.getenv());
  }

  Path configFile() {
    return config != null ? config : ConfigLoader.defaultFile(stateDir());
  }

  AgentConfig load() throws ConfigException {
    return ConfigLoader.load(configFile(), stateDir(), System.getenv());
  }

  String api() throws ConfigException {
    if (api != null) {
      return api;
    }
    AgentConfig c = load();
    return "http://" + c.apiHost() + ":" + c.apiPort();
  }

  String call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api() + path));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 400) {
      throw new CommandLine.ExecutionException(new CommandLine(this), "HTTP " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  @Command(name = "init", description = "Writes a commented config file and creates the identity.")
  static final class Init implements Callable<Integer> {
    @CommandLine.ParentCommand Main top;

    @Override
    public Integer call() throws Exception {
      Path cfg = top.configFile();
      Files.createDirectories(top.stateDir());
      if (!Files.exists(cfg)) {
        Files.createDirectories(cfg.toAbsolutePath().getParent());
        Files.writeString(cfg, ConfigLoader.template());
        System.out.println("wrote config " + cfg);
      } else {
        System.out.println("config exists: " + cfg);
      }
      AgentConfig c = top.load();
      Identity id = Files.exists(c.identityFile()) ? Identity.load(c.identityFile())
          : Identity.create(c.identityFile());
      System.out.println("identity " + c.identityFile() + " (mode 0600)");
      System.out.println("public key " + id.publicKeyHex());
      return 0;
    }
  }

  @Command(name = "run", description = "Runs the agent until stopped (SIGTERM or Ctrl-C).")
  static final class Run implements Callable<Integer> {
    @CommandLine.ParentCommand Main top;

    @Option(names = "--port", description = "Override api.port (0 picks a free port)")
    Integer port;

    @Override
    public Integer call() throws Exception {
      JsonLogFormatter.install(Level.INFO);
      AgentConfig c = top.load();
      if (port != null) {
        c = c.withApiPort(port);
      }
      Identity id = Files.exists(c.identityFile()) ? Identity.load(c.identityFile())
          : Identity.create(c.identityFile());
      Agent agent = Agent.start(c, id);
      System.out.println("READY port=" + agent.port());
      System.out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        agent.close();
        stop.countDown();
      }, "infernet-shutdown"));
      stop.await();
      return 0;
    }
  }

  @Command(name = "pair", description = "Prints a one-time pairing link (and its QR code) for a phone or the"
      + " `infernet` CLI; whoever presents it first, within --ttl, gets --role on this agent.")
  static final class Pair implements Callable<Integer> {
    @CommandLine.ParentCommand Main top;

    @Option(names = "--role", description = "owner, submitter, viewer or carrier (default ${DEFAULT-VALUE})")
    String role = "submitter";

    @Option(names = "--ttl", description = "seconds the link stays valid (default ${DEFAULT-VALUE})")
    long ttlSeconds = 600;

    @Option(names = "--no-qr", description = "print the link only")
    boolean noQr;

    @Override
    public Integer call() throws Exception {
      String body = "{\"role\":\"" + role.replaceAll("[^a-z]", "") + "\",\"ttlSeconds\":" + ttlSeconds + "}";
      String uri = new io.vertx.core.json.JsonObject(top.call("POST", "/pairings", body)).getString("uri");
      if (!noQr) {
        System.out.print(TerminalQr.render(uri));
      }
      System.out.println(uri);
      System.out.println("valid " + ttlSeconds + " s, once, for role " + role + ". On the other side: infernet pair '" + uri + "'");
      return 0;
    }
  }

  @Command(name = "status", description = "Shows the running agent's status.")
  static final class Status implements Callable<Integer> {
    @CommandLine.ParentCommand Main top;

    @Override
    public Integer call() throws Exception {
      System.out.println(top.call("GET", "/status", null));
      return 0;
    }
  }

  @Command(name = "jobs", description = "Lists, shows, submits and cancels jobs.",
      subcommands = {Jobs.ListJobs.class, Jobs.Show.class, Jobs.Cancel.class, Jobs.Logs.class, Jobs.Submit.class})
  static final class Jobs {
    @CommandLine.ParentCommand Main top;

    @Command(name = "list")
    static final class ListJobs implements Callable<Integer> {
      @CommandLine.ParentCommand Jobs jobs;
      @Option(names = "--state") String state;

      @Override
      public Integer call() throws Exception {
        System.out.println(jobs.top.call("GET", "/jobs" + (state == null ? "" : "?state=" + state), null));
        return 0;
      }
    }

    @Command(name = "show")
    static final class Show implements Callable<Integer> {
      @CommandLine.ParentCommand Jobs jobs;
      @Parameters(index = "0") String id;

      @Override
      public Integer call() throws Exception {
        System.out.println(jobs.top.call("GET", "/jobs/" + id, null));
        return 0;
      }
    }

    @Command(name = "cancel")
    static final class Cancel implements Callable<Integer> {
      @CommandLine.ParentCommand Jobs jobs;
      @Parameters(index = "0") String id;

      @Override
      public Integer call() throws Exception {
        System.out.println(jobs.top.call("POST", "/jobs/" + id + "/cancel", null));
        return 0;
      }
    }

    @Command(name = "logs", description = "Prints a job's events until it ends.")
    static final class Logs implements Callable<Integer> {
      @CommandLine.ParentCommand Jobs jobs;
      @Parameters(index = "0") String id;

      @Override
      public Integer call() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(jobs.top.api() + "/jobs/" + id + "/events")).build();
        HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofLines()).body()
            .filter(l -> l.startsWith("data: ")).forEach(l -> System.out.println(l.substring(6)));
        return 0;
      }
    }

    @Command(name = "submit", description = "Submits a job spec (JSON file, - for stdin).")
    static final class Submit implements Callable<Integer> {
      @CommandLine.ParentCommand Jobs jobs;
      @Parameters(index = "0") String file;

      @Override
      public Integer call() throws Exception {
        String spec = file.equals("-") ? new String(System.in.readAllBytes()) : Files.readString(Path.of(file));
        System.out.println(jobs.top.call("POST", "/jobs", spec));
        return 0;
      }
    }
  }

  @Command(name = "acl", description = "Manages the public keys allowed to use this agent.",
      subcommands = {Acl.ListAcl.class, Acl.Add.class, Acl.Remove.class})
  static final class Acl {
    @CommandLine.ParentCommand Main top;

    @Command(name = "list")
    static final class ListAcl implements Callable<Integer> {
      @CommandLine.ParentCommand Acl acl;

      @Override
      public Integer call() throws Exception {
        System.out.println(acl.top.call("GET", "/acl", null));
        return 0;
      }
    }

    @Command(name = "add")
    static final class Add implements Callable<Integer> {
      @CommandLine.ParentCommand Acl acl;
      @Parameters(index = "0", description = "public key (64 hex digits)") String key;
      @Parameters(index = "1", defaultValue = "user", description = "role") String role;

      @Override
      public Integer call() throws Exception {
        System.out.println(acl.top.call("PUT", "/acl/" + key, "{\"role\":\"" + role.replaceAll("[^a-z]", "") + "\"}"));
        return 0;
      }
    }

    @Command(name = "remove")
    static final class Remove implements Callable<Integer> {
      @CommandLine.ParentCommand Acl acl;
      @Parameters(index = "0") String key;

      @Override
      public Integer call() throws Exception {
        System.out.println(acl.top.call("DELETE", "/acl/" + key, null));
        return 0;
      }
    }
  }

}
