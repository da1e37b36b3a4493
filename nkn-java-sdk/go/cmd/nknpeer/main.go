// Command nknpeer is a pure-Go NKN client on the same nkn-sdk-go version as the Java binding.
// Interop tests use it as a peer of a different SDK, and the benchmark runs the same
// workloads through it that the Java binding runs, on the same devnet, for comparison.
//
//	nknpeer echo  -rpc URL                       reply to every message with its data; print "ADDRESS <addr>"
//	nknpeer send  -rpc URL -to ADDR -data TEXT   send one message, print "REPLY <source> <data>"
//	nknpeer bench -rpc URL -workload msgs|rr|session ...   print one JSON line of results
package main

import (
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	nkn "github.com/nknorg/nkn-sdk-go"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: nknpeer echo|send|bench [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "echo":
		err = runEcho(os.Args[2:])
	case "send":
		err = runSend(os.Args[2:])
	case "bench":
		err = runBench(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "nknpeer:", err)
		os.Exit(1)
	}
}

type clientFlags struct {
	rpc        *string
	seed       *string
	identifier *string
	subClients *int
}

func addClientFlags(fs *flag.FlagSet) clientFlags {
	return clientFlags{
		rpc:        fs.String("rpc", "http://127.0.0.1:30003", "seed JSON-RPC address(es), comma separated"),
		seed:       fs.String("seed", "", "32-byte seed in hex (random when empty)"),
		identifier: fs.String("identifier", "", "address identifier"),
		subClients: fs.Int("subclients", 4, "sub-clients of the multiclient"),
	}
}

func (f clientFlags) connect() (*nkn.MultiClient, error) {
	var seed []byte
	if *f.seed != "" {
		var err error
		if seed, err = hex.DecodeString(*f.seed); err != nil {
			return nil, fmt.Errorf("bad -seed: %w", err)
		}
	}
	account, err := nkn.NewAccount(seed)
	if err != nil {
		return nil, err
	}
	config := &nkn.ClientConfig{
		SeedRPCServerAddr:     nkn.NewStringArray(strings.Split(*f.rpc, ",")...),
		MultiClientNumClients: *f.subClients,
		MsgChanLen:            4096,
	}
	mc, err := nkn.NewMultiClientV2(account, *f.identifier, config)
	if err != nil {
		return nil, err
	}
	select {
	case <-mc.OnConnect.C:
		return mc, nil
	case <-time.After(30 * time.Second):
		mc.Close()
		return nil, fmt.Errorf("no node connection within 30 s")
	}
}

func runEcho(args []string) error {
	fs := flag.NewFlagSet("echo", flag.ExitOnError)
	cf := addClientFlags(fs)
	fs.Parse(args)
	mc, err := cf.connect()
	if err != nil {
		return err
	}
	defer mc.Close()
	fmt.Println("ADDRESS", mc.Address())
	for msg := range mc.OnMessage.C {
		if !msg.NoReply {
			if err := msg.Reply(msg.Data); err != nil {
				fmt.Fprintln(os.Stderr, "reply:", err)
			}
		}
	}
	return nil
}

func runSend(args []string) error {
	fs := flag.NewFlagSet("send", flag.ExitOnError)
	cf := addClientFlags(fs)
	to := fs.String("to", "", "destination address")
	data := fs.String("data", "hello from go", "message text (sent as binary)")
	timeout := fs.Duration("timeout", 20*time.Second, "reply timeout")
	fs.Parse(args)
	mc, err := cf.connect()
	if err != nil {
		return err
	}
	defer mc.Close()
	fmt.Println("ADDRESS", mc.Address())
	onReply, err := mc.Send(nkn.NewStringArray(*to), []byte(*data), nil)
	if err != nil {
		return err
	}
	select {
	case reply := <-onReply.C:
		fmt.Println("REPLY", reply.Src, string(reply.Data))
		return nil
	case <-time.After(*timeout):
		return fmt.Errorf("no reply from %s within %v", *to, *timeout)
	}
}
