package tech.infernet.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.infernet.client.AgentException;
import tech.infernet.client.IdentityFile;
import tech.infernet.client.NknAgentClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.nkn.NknException;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.JobView;
import tech.infernet.protocol.message.PairingUri;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.InferenceJob;
import tech.infernet.protocol.spec.JobSpec;
import tech.infernet.protocol.spec.JobSpecs;
import tech.infernet.protocol.spec.NosanaImporter;
import tech.infernet.protocol.spec.Resources;
import tech.infernet.protocol.spec.SpecException;

/** {@code infernet}: pair with an agent, submit jobs, watch them, over NKN. */
@Command(name = "infernet", mixinStandardHelpOptions = true, version = "infernet 0.1.0",
    description = "Submit and follow jobs on Infernet agents over NKN (end-to-end sealed envelopes).",
    subcommands = {InfernetCli.Pair.class, InfernetCli.Info.class, InfernetCli.Submit.class, InfernetCli.Watch.class,
        InfernetCli.Result.class,
        InfernetCli.Get.class, InfernetCli.ListJobs.class, InfernetCli.Cancel.class})
public final class InfernetCli {
  static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "REJECTED");

  @Option(names = "--identity", description = "identity file (created on first use; default ${DEFAULT-VALUE})")
  Path identity = IdentityFile.defaultPath();

  @Option(names = "--rpc", description = "NKN node JSON-RPC address(es) (default ${DEFAULT-VALUE})", split = ",")
  List<String> rpc = List.of("http://127.0.0.1:30003");

  @Option(names = "--agent", description = "agent NKN address (default: the last one paired)")
  String agent;

  private PrintWriter out = new PrintWriter(System.out, true);

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    InfernetCli top = new InfernetCli();
    top.out = out;
    CommandLine cli = new CommandLine(top);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof AgentException || cause instanceof NknException || cause instanceof SpecException
          || cause instanceof ProtocolException || cause instanceof IOException) {
        line.getErr().println("infernet: " + cause.getMessage());
        return 1;
      }
      throw e;
    });
    return cli.execute(args);
  }

  NknAgentClient connect() throws IOException {
    KeyPair key = IdentityFile.loadOrCreate(identity);
    return NknAgentClient.connect(key, NknClientOptions.builder(rpc).replyTimeout(Duration.ofSeconds(20)).build());
  }

  Path agentsFile() {
    return identity.toAbsolutePath().getParent().resolve("agents.properties");
  }

  String agent() throws IOException {
    if (agent != null) {
      return agent;
    }
    Properties known = new Properties();
    if (Files.exists(agentsFile())) {
      try (var in = Files.newInputStream(agentsFile())) {
        known.load(in);
      }
    }
    String paired = known.getProperty("default");
    if (paired == null) {
      throw new IOException("no agent: pass --agent ADDRESS or pair first with `infernet pair <link>`");
    }
    return paired;
  }

  void remember(String address) throws IOException {
    Properties known = new Properties();
    known.setProperty("default", address);
    try (var out = Files.newOutputStream(agentsFile())) {
      known.store(out, "agents this identity paired with");
    }
  }

  static String describe(JobView job) {
    return job.jobId() + "  " + job.state() + (job.exitCode() == null ? "" : "  exit " + job.exitCode())
        + (job.error() == null ? "" : "  " + job.error());
  }

  @Command(name = "pair", description = "Pair with an agent using the link `infernet-agent pair` printed.")
  static final class Pair implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand InfernetCli top;
    @Parameters(description = "infernet://pair?... link") String link;
    @Option(names = "--name", description = "a label for this device") String name = "infernet-cli";

    @Override
    public Integer call() throws Exception {
      PairingUri uri = PairingUri.parse(link);
      try (NknAgentClient client = top.connect()) {
        var result = client.pair(uri, name).join();
        top.remember(uri.agentAddress());
        top.out.println("paired with " + uri.agentAddress() + " as " + result.role().wireName());
      }
      return 0;
    }
  }

  @Command(name = "info", description = "Show an agent's capabilities and load.")
  static final class Info implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand InfernetCli top;

    @Override
    public Integer call() throws Exception {
      try (NknAgentClient client = top.connect()) {
        var info = client.info(top.agent()).join();
        top.out.println("agent " + top.agent() + " version " + info.version() + "; runners " + info.runners()
            + "; cpus " + info.cpus() + ", memory " + info.memoryMb() + " MB, gpus " + info.gpus()
            + "; queued " + info.queued() + ", running " + info.running());
      }
      return 0;
    }
  }

  @Command(name = "submit", description = "Submit a container job, an inference request or a Nosana job file.")
  static final class Submit implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand InfernetCli top;
    @Option(names = "--image", description = "container image") String image;
    @Option(names = "--memory", description = "memory in MB") int memoryMb;
    @Option(names = "--cpus", description = "CPUs") double cpus;
    @Option(names = "--gpus", description = "GPUs") int gpus;
    @Option(names = "--timeout", description = "seconds") int timeout;
    @Option(names = "--network", description = "ask for a network") boolean network;
    @Option(names = "--env", description = "NAME=value") Map<String, String> env = new LinkedHashMap<>();
    @Option(names = "--nosana", description = "a Nosana job-definition JSON file") Path nosana;
    @Option(names = "--spec", description = "a job spec JSON file (our format)") Path spec;
    @Option(names = "--inference", description = "chat/completions, completions or embeddings") String endpoint;
    @Option(names = "--body", description = "the OpenAI-compatible request JSON (inline)") String body;
    @Option(names = "--watch", description = "follow the job's events until it ends") boolean watch;
    @Option(names = "--wait", paramLabel = "SECONDS", description = "hold the answer until the job ends, at most this"
        + " long (under 20), and take its events from it: a short job in one round trip") int waitSeconds;
    @Parameters(description = "the container's command (argv; never run through a shell)") List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      JobSpec job = build();
      if (waitSeconds < 0 || waitSeconds >= 20) {
        throw new IOException("--wait: 0 to 19 seconds (the client waits 20 s for an answer), not " + waitSeconds);
      }
      try (NknAgentClient client = top.connect()) {
        Watch.Follower follower = watch ? new Watch.Follower(client, top.out) : null;
        var accepted = client.submit(top.agent(), job, Duration.ofSeconds(waitSeconds)).join();
        if (follower == null) {
          top.out.println(accepted.jobId() + "  " + accepted.state());
          return 0;
        }
        follower.open(() -> top.out.println(accepted.jobId() + "  " + accepted.state()));
        return follower.until(accepted.jobId());
      }
    }

    JobSpec build() throws IOException, SpecException {
      if (nosana != null) {
        return NosanaImporter.importJson(Files.readString(nosana));
      }
      if (spec != null) {
        return JobSpecs.parse(Files.readString(spec));
      }
      Resources resources = new Resources(memoryMb, cpus, gpus, 0);
      if (endpoint != null) {
        String json = "{\"version\":1,\"kind\":\"inference\",\"endpoint\":" + quote(endpoint) + ",\"request\":" + body + "}";
        JobSpec parsed = JobSpecs.parse(json);
        InferenceJob inference = (InferenceJob) parsed;
        return new InferenceJob(inference.endpoint(), inference.request(), resources, timeout);
      }
      if (image == null) {
        throw new IOException("say what to run: --image IMAGE [--] COMMAND..., --inference ENDPOINT --body JSON, --nosana FILE or --spec FILE");
      }
      return new ContainerJob(image, command, env, resources, timeout, network);
    }

    private static String quote(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }

  @Command(name = "watch", description = "Print a job's events as they come, until it ends.")
  static final class Watch implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand InfernetCli top;
    @Parameters(description = "job id") String jobId;

    @Override
    public Integer call() throws Exception {
      try (NknAgentClient client = top.connect()) {
        Follower follower = new Follower(client, top.out);
        JobView now = client.get(top.agent(), jobId).join().job(); // also tells the agent where we are
        follower.open(() -> top.out.println(describe(now)));
        return follower.until(jobId);
      }
    }

    /**
     * Prints events as they arrive, one line each, except {@code token} events: their text is
     * printed as it is, inline, so a generated answer reads like a chat; the next other event
     * starts on a new line. {@link #until} waits for the job's terminal state.
     */
    static final class Follower {
      private final Map<String, CountDownLatch> ends = new java.util.concurrent.ConcurrentHashMap<>();
      private boolean midLine; // token text was printed and its line not ended (events come on one thread)

      private final PrintWriter out;
      /** Events that came before the first line was printed; null once it was. */
      private List<JobEvent> early = new ArrayList<>();

      Follower(NknAgentClient client, PrintWriter out) {
        this.out = out;
        client.onEvent(event -> {
          synchronized (this) {
            if (early != null) {
              early.add(event);
              return;
            }
          }
          print(event);
        });
      }

      /** Prints the first line, then the events that came before it, then lets the rest through. */
      synchronized void open(Runnable firstLine) {
        firstLine.run();
        early.forEach(this::print);
        early = null;
      }

      private void print(JobEvent event) {
        if ("token".equals(event.kind()) && event.data().get("text") instanceof String text) {
          out.print(text);
          out.flush();
          midLine = text.isEmpty() ? midLine : !text.endsWith("\n");
          return;
        }
        if (midLine) {
          out.println();
          midLine = false;
        }
        out.println(event.jobId() + " #" + event.seq() + " " + event.kind() + " " + event.data());
        Object state = event.data().get("state");
        if ("state".equals(event.kind()) && state != null && TERMINAL.contains(state.toString())) {
          ends.computeIfAbsent(event.jobId(), k -> new CountDownLatch(1)).countDown();
        }
      }

      int until(String jobId) throws InterruptedException {
        ends.computeIfAbsent(jobId, k -> new CountDownLatch(1)).await(24, TimeUnit.HOURS);
        return 0;
      }
    }
  }

  @Command(name = "get", description = "Show a job's state.")
  static final class Get implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand InfernetCli top;
    @Parameters(description = "job id") String jobId;

    @Override
    public Integer call() throws Exception {
      try (NknAgentClient client = top.connect()) {
        top.out.println(describe(client.get(top.agent(), jobId).join().job()));
      }
      return 0;
    }
  }

  @Command(name = "result", description = "Fetch a finished job's result (large ones in verified chunks over an NKN session; "
      + "an interrupted fetch resumes).")
  static final class Result implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand InfernetCli top;
    @Parameters(description = "job id") String jobId;
    @Option(names = {"-o", "--output"}, description = "write it to this file (default: print it)") Path output;

    @Override
    public Integer call() throws Exception {
      try (NknAgentClient client = top.connect()) {
        if (output != null) {
          var fetched = client.fetchResult(top.agent(), jobId, output).join();
          top.out.println(fetched.path() + "  " + fetched.size() + " bytes  sha256 " + fetched.sha256());
          return 0;
        }
        Path dir = Files.createTempDirectory("infernet-result");
        Path file = dir.resolve("result");
        try {
          var fetched = client.fetchResult(top.agent(), jobId, file).join();
          String text;
          try {
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
          } catch (java.nio.charset.CharacterCodingException binary) {
            throw new IOException("the result is binary (" + fetched.size() + " bytes, sha256 " + fetched.sha256()
                + "); fetch it into a file with -o FILE");
          }
          top.out.print(text);
          top.out.flush();
        } finally {
          Files.deleteIfExists(file);
          Files.deleteIfExists(dir.resolve("result.part"));
          Files.deleteIfExists(dir);
        }
      }
      return 0;
    }
  }

  @Command(name = "list", description = "List the jobs you may see, newest first.")
  static final class ListJobs implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand InfernetCli top;
    @Option(names = "--state", description = "only jobs in this state (queued, running, succeeded...)") String state;
    @Option(names = "--limit", description = "at most this many (default ${DEFAULT-VALUE})") int limit = 50;

    @Override
    public Integer call() throws Exception {
      try (NknAgentClient client = top.connect()) {
        client.list(top.agent(), state, limit).join().jobs().forEach(job -> top.out.println(describe(job)));
      }
      return 0;
    }
  }

  @Command(name = "cancel", description = "Cancel a job.")
  static final class Cancel implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand InfernetCli top;
    @Parameters(description = "job id") String jobId;

    @Override
    public Integer call() throws Exception {
      try (NknAgentClient client = top.connect()) {
        var cancelled = client.cancel(top.agent(), jobId).join();
        top.out.println(cancelled.jobId() + "  " + cancelled.state());
      }
      return 0;
    }
  }
}
