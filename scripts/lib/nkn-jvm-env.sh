# Sourced by scripts that start a JVM which loads nkn-java-sdk's Go library.
# Go and HotSpot share one process: preloading the JDK's libjsig chains signal handlers so that
# each runtime sees the signals meant for it, and GODEBUG=asyncpreemptoff=1 stops Go from sending
# preemption signals into threads the JVM owns. docs/nkn-java-sdk.md explains and measures this.
java_bin=$(readlink -f "$(command -v java)")
java_home=$(dirname "$(dirname "$java_bin")")
if [ -f "$java_home/lib/libjsig.so" ]; then
  export LD_PRELOAD="$java_home/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
fi
export GODEBUG="asyncpreemptoff=1${GODEBUG:+,$GODEBUG}"
# libjsig warns once per process that signal()/sigset() chaining is deprecated; the Go runtime
# uses sigaction, which libjsig supports, so the warning is about other callers.
unset java_bin java_home
