package tech.infernet.agent.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.Json;
import tech.infernet.agent.jobs.SpecException;
import tech.infernet.agent.store.Store;
import tech.infernet.agent.store.StoredResult;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.message.AgentInfo;
import tech.infernet.protocol.message.AgentInfoRequest;
import tech.infernet.protocol.message.JobAccepted;
import tech.infernet.protocol.message.JobCancel;
import tech.infernet.protocol.message.JobCancelled;
import tech.infernet.protocol.message.JobGet;
import tech.infernet.protocol.message.JobList;
import tech.infernet.protocol.message.JobPage;
import tech.infernet.protocol.message.JobResult;
import tech.infernet.protocol.message.JobResultGet;
import tech.infernet.protocol.message.JobStatus;
import tech.infernet.protocol.message.JobSubmit;
import tech.infernet.protocol.message.JobView;
import tech.infernet.protocol.message.PairRequest;
import tech.infernet.protocol.message.PairResult;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.spec.JobSpec;
import tech.infernet.protocol.spec.JobSpecs;
import tech.infernet.protocol.transfer.Manifest;

/**
 * Carries out one authenticated request for one key, within what its role allows:
 * owners everything; submitters submit and see or cancel their own jobs; viewers see status.
 * Jobs a key may not see are reported as not found, so their existence does not leak.
 */
final class AgentRequests {
  private static final Set<Role> SUBMITTERS = EnumSet.of(Role.OWNER, Role.SUBMITTER);
  private final JobEngine engine;
  private final Store store;
  private final FaceStore faces;
  private final Access access;
  private final FaceConfig config;
  private final Supplier<AgentInfo> info;
  private final Uploads uploads;
  private final ResultContent results;

  AgentRequests(JobEngine engine, FaceStore faces, Access access, FaceConfig config, Supplier<AgentInfo> info,
      Uploads uploads, ResultContent results) {
    this.engine = engine;
    this.store = engine.store();
    this.faces = faces;
    this.access = access;
    this.config = config;
    this.info = info;
    this.uploads = uploads;
    this.results = results;
  }

  /** A key and the role it holds, if any (an unpaired key may only pair). */
  record Caller(String keyHex, Role role) {}

  Payload.Reply handle(Caller caller, Payload.Request request) throws RequestException {
    if (request instanceof PairRequest pair) {
      return pair(caller, pair);
    }
    if (caller.role() == null) {
      throw new RequestException(ErrorCode.UNAUTHORIZED, "this key is not paired with this agent");
    }
    if (request instanceof JobSubmit submit) {
      return submit(caller, submit);
    } else if (request instanceof JobGet get) {
      return new JobStatus(get.id(), view(visibleJob(caller, get.jobId())));
    } else if (request instanceof JobList list) {
      return list(caller, list);
    } else if (request instanceof JobResultGet get) {
      return result(caller, get);
    } else if (request instanceof JobCancel cancel) {
      return cancel(caller, cancel);
    } else if (request instanceof AgentInfoRequest ask) {
      AgentInfo now = info.get();
      return new AgentInfo(ask.id(), now.version(), now.protocols(), now.runners(), now.cpus(), now.memoryMb(),
          now.gpus(), now.models(), now.maxEnvelopeBytes(), engine.queued(), engine.running());
    }
    throw new RequestException(ErrorCode.UNSUPPORTED_TYPE, "no handler for " + request.type().wireName());
  }

  private JobAccepted submit(Caller caller, JobSubmit submit) throws RequestException {
    return submit(caller, submit, id -> { });
  }

  /** Submits; {@code beforeStore} learns the job's id before its first event is stored. */
  JobAccepted submit(Caller caller, JobSubmit submit, Consumer<JobId> beforeStore) throws RequestException {
    if (!SUBMITTERS.contains(caller.role())) {
      throw new RequestException(ErrorCode.FORBIDDEN, "role " + caller.role().wireName() + " may not submit jobs");
    }
    long active = store.activeJobsOf(caller.keyHex());
    if (active >= config.maxActiveJobsPerKey()) {
      throw new RequestException(ErrorCode.QUOTA_EXCEEDED,
          "this key has " + active + " jobs queued or running; the limit is " + config.maxActiveJobsPerKey());
    }
    JobSpec spec = submit.spec() != null ? submit.spec() : uploadedSpec(caller, submit.specSha256());
    Job job;
    try {
      job = engine.submit(caller.keyHex(), Json.write(WireSpecs.toEngineTree(spec)), beforeStore).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SpecException bad) {
        throw new RequestException(ErrorCode.INVALID_SPEC, bad.getMessage(), bad.field().isEmpty() ? null : bad.field(),
            bad.code().name().toLowerCase(Locale.ROOT));
      }
      throw new RequestException(ErrorCode.INTERNAL, "the job could not be stored");
    }
    if (job.state() == JobState.REJECTED) {
      throw new RequestException(ErrorCode.REJECTED, job.reason());
    }
    return new JobAccepted(submit.id(), job.id().toString(), wire(job.state()));
  }

  /** The spec the caller put through a transfer, consumed: a submit by reference uses it once. */
  private JobSpec uploadedSpec(Caller caller, String sha256) throws RequestException {
    byte[] bytes;
    try {
      bytes = uploads.take(caller.keyHex(), sha256);
    } catch (IOException e) {
      throw new RequestException(ErrorCode.UNAVAILABLE, "the upload could not be read");
    }
    try {
      return JobSpecs.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (tech.infernet.protocol.spec.SpecException e) {
      String field = e.field().isEmpty() ? "spec" : "spec." + e.field();
      throw new RequestException(ErrorCode.INVALID_SPEC, field + ": " + e.getMessage(), field, e.error().wireName());
    }
  }

  /** A result, to a key that may see the job's output (owners, and submitters for their own jobs). */
  StoredResult visibleResult(Caller caller, String jobId) throws RequestException {
    Job job = visibleJob(caller, jobId);
    if (!SUBMITTERS.contains(caller.role())) {
      throw new RequestException(ErrorCode.FORBIDDEN, "role " + caller.role().wireName() + " may see status only");
    }
    return store.result(job.id()).orElseThrow(() -> new RequestException(ErrorCode.NOT_FOUND,
        "job " + jobId + " has no result" + (job.state().isTerminal() ? "" : " yet"), "jobId", null));
  }

  private JobResult result(Caller caller, JobResultGet get) throws RequestException {
    StoredResult r = visibleResult(caller, get.jobId());
    if (r.inline() != null && r.size() <= Manifest.INLINE_MAX) {
      return new JobResult(get.id(), get.jobId(), r.size(), r.sha256(), r.inline(), null);
    }
    try {
      return new JobResult(get.id(), get.jobId(), r.size(), r.sha256(), null, results.manifest(r));
    } catch (IOException e) {
      throw new RequestException(ErrorCode.UNAVAILABLE, "the result could not be read: " + e.getMessage());
    }
  }

  private JobPage list(Caller caller, JobList list) {
    Set<JobState> states = stateFilter(list.state());
    if (states.isEmpty()) {
      return new JobPage(list.id(), List.of(), null); // no job is in a state that does not exist
    }
    // filtered by owner in the query, not after reading every job
    List<JobView> views = store.jobs(states, seesAll(caller) ? null : caller.keyHex(), list.limit())
        .stream()
        .map(this::view)
        .toList();
    return new JobPage(list.id(), views, null);
  }

  private JobCancelled cancel(Caller caller, JobCancel cancel) throws RequestException {
    Job job = visibleJob(caller, cancel.jobId());
    if (caller.role() == Role.VIEWER || caller.role() == Role.CARRIER) {
      throw new RequestException(ErrorCode.FORBIDDEN, "role " + caller.role().wireName() + " may not cancel jobs");
    }
    Job after = engine.cancel(job.id()).join();
    return new JobCancelled(cancel.id(), after.id().toString(), wire(after.state()));
  }

  private PairResult pair(Caller caller, PairRequest pair) throws RequestException {
    FaceStore.Redemption redeemed;
    try {
      redeemed = faces.redeem(pair.secret(), caller.keyHex(), System.currentTimeMillis());
    } catch (IOException e) {
      throw new RequestException(ErrorCode.UNAVAILABLE, "pairing store unavailable");
    }
    switch (redeemed.outcome()) {
      case PAIRED -> {
        access.grant(caller.keyHex(), redeemed.role());
        return new PairResult(pair.id(), redeemed.role());
      }
      case EXPIRED -> throw new RequestException(ErrorCode.PAIR_EXPIRED, "this pairing code has expired");
      case USED -> throw new RequestException(ErrorCode.PAIR_USED, "this pairing code was used already");
      default -> throw new RequestException(ErrorCode.PAIR_INVALID, "unknown pairing code");
    }
  }

  private Job visibleJob(Caller caller, String jobId) throws RequestException {
    if (!JobId.isValid(jobId)) {
      throw new RequestException(ErrorCode.NOT_FOUND, "no job " + jobId, "jobId", null);
    }
    return store.job(new JobId(jobId)).filter(job -> mayView(caller, job))
        .orElseThrow(() -> new RequestException(ErrorCode.NOT_FOUND, "no job " + jobId, "jobId", null));
  }

  /** Owners and viewers see every job; other keys their own. */
  private static boolean seesAll(Caller caller) {
    return caller.role() == Role.OWNER || caller.role() == Role.VIEWER;
  }

  private static boolean mayView(Caller caller, Job job) {
    return seesAll(caller) || job.owner().equals(caller.keyHex());
  }

  private static Set<JobState> stateFilter(String state) {
    if (state == null) {
      return EnumSet.allOf(JobState.class);
    }
    for (JobState s : JobState.values()) {
      if (wire(s).equals(state)) {
        return EnumSet.of(s);
      }
    }
    return EnumSet.noneOf(JobState.class);
  }

  JobView view(Job job) {
    long lastSeq = store.lastSeq(job.id()); // not a read of every event: a job may have thousands
    String error = job.state() == JobState.FAILED || job.state() == JobState.REJECTED || job.state() == JobState.TIMED_OUT
        ? job.reason() : null;
    return new JobView(job.id().toString(), wire(job.state()), job.createdAt(), job.updatedAt(), lastSeq,
        job.exitCode(), error);
  }

  static String wire(JobState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
