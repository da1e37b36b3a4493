# Sourced by scripts that start a JVM which loads nkn-java-sdk's Go library.
# Go and HotSpot share one process. Go installs its handlers for SIGPIPE and the synchronous
# signals (with SA_ONSTACK) and forwards what is not its own to HotSpot's. GODEBUG=asyncpreemptoff=1
# stops Go from sending preemption signals into threads the JVM also runs on. libjsig must NOT be
# preloaded: it keeps HotSpot's handlers in front and chains to Go's off the signal stack, which
# crashed the JVM on a SIGPIPE when the node went away (docs/nkn-java-sdk.md).
export GODEBUG="asyncpreemptoff=1${GODEBUG:+,$GODEBUG}"
case "${LD_PRELOAD:-}" in
  *libjsig*) echo "warning: LD_PRELOAD holds libjsig, which crashes the Go library on SIGPIPE; unsetting it" >&2
    unset LD_PRELOAD ;;
esac
