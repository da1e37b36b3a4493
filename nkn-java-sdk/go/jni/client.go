package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	nkn "github.com/nknorg/nkn-sdk-go"
	"github.com/nknorg/ncp-go"
)

// maxMessageBytes is nkn-sdk-go's limit on one message's payload.
const maxMessageBytes = 4_000_000

// clientOptions arrive from Java as JSON (NknClientOptions validated them already).
type clientOptions struct {
	SeedRPC                []string `json:"seedRpc"`
	Identifier             string   `json:"identifier"`
	SubClients             int      `json:"subClients"`
	OriginalClient         bool     `json:"originalClient"`
	ConnectTimeoutMs       int      `json:"connectTimeoutMs"`
	RPCTimeoutMs           int      `json:"rpcTimeoutMs"`
	MessageHoldingSeconds  int      `json:"messageHoldingSeconds"`
	ReplyWindowMs          int      `json:"replyWindowMs"`
	MaxReconnectIntervalMs int      `json:"maxReconnectIntervalMs"`
	EventQueueLength       int      `json:"eventQueueLength"`
	MaxConcurrentSends     int      `json:"maxConcurrentSends"`
	SessionMTU             int      `json:"sessionMtu"`
	SessionWindowBytes     int      `json:"sessionWindowBytes"`
}

// incoming is a received message that may still be answered.
type incoming struct {
	msg      *nkn.Message
	deadline time.Time
}

type client struct {
	mc          *nkn.MultiClient
	opts        clientOptions
	events      chan record
	sendSlots   chan struct{}
	closed      chan struct{}
	closeOnce   sync.Once
	nextToken   atomic.Int64
	mu          sync.Mutex
	answerable  map[int64]incoming
	accepted    chan *ncp.Session
	acceptStart sync.Once
	seen        map[string]time.Time // message ids handed to Java, until they expire
}

// duplicateWindow is how long a received message id is remembered. nkn-sdk-go's MultiClient
// sends each message through every sub-client and drops copies by id, but its check and insert
// are not atomic, so under load two copies can get through (seen in NknJobBench as a second,
// "replayed" answer to one request). Copies arrive milliseconds apart.
const duplicateWindow = 30 * time.Second

func openClient(seed []byte, opts clientOptions) (*client, error) {
	account, err := nkn.NewAccount(seed)
	if err != nil {
		return nil, newError(codeInvalidArgument, "invalid seed: "+err.Error())
	}
	config := &nkn.ClientConfig{
		SeedRPCServerAddr:         nkn.NewStringArray(opts.SeedRPC...),
		RPCTimeout:                int32(opts.RPCTimeoutMs),
		MsgChanLen:                int32(opts.EventQueueLength),
		MaxReconnectInterval:      int32(opts.MaxReconnectIntervalMs),
		MultiClientNumClients:     opts.SubClients,
		MultiClientOriginalClient: opts.OriginalClient,
		MessageConfig:             &nkn.MessageConfig{MaxHoldingSeconds: int32(opts.MessageHoldingSeconds)},
		SessionConfig:             &ncp.Config{MTU: int32(opts.SessionMTU), SessionWindowSize: int32(opts.SessionWindowBytes)},
	}
	timeout := time.Duration(opts.ConnectTimeoutMs) * time.Millisecond
	mc, err := createMultiClient(account, opts.Identifier, config, timeout)
	if err != nil {
		return nil, err
	}
	c := &client{
		mc:         mc,
		opts:       opts,
		events:     make(chan record, opts.EventQueueLength),
		sendSlots:  make(chan struct{}, opts.MaxConcurrentSends),
		closed:     make(chan struct{}),
		answerable: make(map[int64]incoming),
		accepted:   make(chan *ncp.Session, 16),
		seen:       make(map[string]time.Time),
	}
	c.settle(5 * time.Second)
	go c.pumpMessages()
	go c.watch()
	return c, nil
}

// settle waits, at most d, until every sub-client has finished its handshake with a node.
//
// nkn-sdk-go's Client.Close races with a node's authChallenge that arrives mid-handshake: the
// reader goroutine then sends on the closed challenge channel and panics, which aborts the
// whole JVM (seen in NknLifecycleIT). So the binding neither returns a client nor closes one
// while a sub-client is still shaking hands, if waiting a moment avoids it.
func (c *client) settle(d time.Duration) {
	want := c.opts.SubClients
	if c.opts.OriginalClient {
		want++
	}
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		subs := c.mc.GetClients()
		ready := len(subs) == want
		for _, sub := range subs {
			if !sub.HasConnection && !sub.IsClosed() {
				ready = false
				break
			}
		}
		if ready {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// createMultiClient bounds nkn-sdk-go's creation and first connection by timeout; a client
// that connects after the caller gave up is closed, not leaked.
func createMultiClient(account *nkn.Account, identifier string, config *nkn.ClientConfig, timeout time.Duration) (*nkn.MultiClient, error) {
	type created struct {
		mc  *nkn.MultiClient
		err error
	}
	done := make(chan created, 1)
	go func() {
		mc, err := nkn.NewMultiClientV2(account, identifier, config)
		done <- created{mc, err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, newError(codeConnectFailed, "cannot reach an NKN node through "+config.SeedRPCServerAddr.Join(",")+": "+r.err.Error())
		}
		select {
		case <-r.mc.OnConnect.C:
			return r.mc, nil
		case <-timer.C:
			r.mc.Close()
		}
	case <-timer.C:
		go func() {
			if r := <-done; r.mc != nil {
				r.mc.Close()
			}
		}()
	}
	return nil, newError(codeConnectFailed, fmt.Sprintf("no NKN node accepted the client within %v (seed RPC %s)", timeout, config.SeedRPCServerAddr.Join(",")))
}

func (c *client) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// emit queues a record for Java; it waits while the queue is full, so a slow reader
// slows the producers instead of losing records.
func (c *client) emit(r record) {
	select {
	case c.events <- r:
	case <-c.closed:
	}
}

func (c *client) pumpMessages() {
	for {
		select {
		case msg, ok := <-c.mc.OnMessage.C:
			if !ok {
				return
			}
			if c.duplicate(msg.MessageID) {
				continue
			}
			var token int64
			if !msg.NoReply {
				token = c.nextToken.Add(1)
				c.mu.Lock()
				c.answerable[token] = incoming{msg: msg, deadline: time.Now().Add(time.Duration(c.opts.ReplyWindowMs) * time.Millisecond)}
				c.mu.Unlock()
			}
			c.emit(messageRecord(token, msg.Src, msg.Data))
		case <-c.closed:
			return
		}
	}
}

// watch reports changes in how many sub-clients hold a node connection, so that an
// outage is visible to Java, and forgets messages nobody answered in time.
func (c *client) watch() {
	ticker := time.NewTicker(200 * time.Millisecond)
	defer ticker.Stop()
	last := -1
	for {
		select {
		case <-ticker.C:
			connected, total := c.connectedCount()
			if connected != last {
				last = connected
				c.emit(stateRecord(connected, total))
			}
			c.forgetExpired(time.Now())
		case <-c.closed:
			return
		}
	}
}

func (c *client) connectedCount() (connected, total int) {
	for _, sub := range c.mc.GetClients() {
		total++
		// HasConnection is a plain bool written by the SDK's connection goroutine; a stale
		// read only delays the state event by one tick.
		if sub.HasConnection && !sub.IsClosed() {
			connected++
		}
	}
	return connected, total
}

func (c *client) forgetExpired(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for token, in := range c.answerable {
		if now.After(in.deadline) {
			delete(c.answerable, token)
		}
	}
	for id, until := range c.seen {
		if now.After(until) {
			delete(c.seen, id)
		}
	}
}

// duplicate reports whether a message with this id was handed over already, and remembers it.
func (c *client) duplicate(messageID []byte) bool {
	if len(messageID) == 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.seen[string(messageID)]; ok {
		return true
	}
	c.seen[string(messageID)] = time.Now().Add(duplicateWindow)
	return false
}

func (c *client) poll(timeout time.Duration, maxBytes int) ([]byte, error) {
	var first record
	select {
	case first = <-c.events:
	default:
		if timeout <= 0 {
			return nil, nil
		}
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		select {
		case first = <-c.events:
		case <-timer.C:
			return nil, nil
		case <-c.closed:
			return nil, newError(codeClosed, "client is closed")
		}
	}
	buf := append(make([]byte, 0, max(len(first), 16<<10)), first...)
	for len(buf) < maxBytes {
		select {
		case r := <-c.events:
			buf = append(buf, r...)
		default:
			return buf, nil
		}
	}
	return buf, nil
}

func (c *client) acquireSendSlot() error {
	select {
	case c.sendSlots <- struct{}{}:
		return nil
	case <-c.closed:
		return newError(codeClosed, "client is closed")
	}
}

// send hands the message to a goroutine and returns at once; the outcome comes back as a
// SENT, REPLY or FAILED record carrying request.
func (c *client) send(dests []string, data []byte, request int64, wantReply bool, replyTimeout time.Duration) error {
	if err := c.checkSend(dests, data); err != nil {
		return err
	}
	go func() {
		onReply, err := c.sendNow(dests, data, wantReply)
		if err != nil {
			c.emit(failedRecord(request, err))
			return
		}
		if !wantReply {
			c.emit(sentRecord(request))
			return
		}
		src, reply, err := c.awaitReply(onReply, replyTimeout)
		if err != nil {
			c.emit(failedRecord(request, err))
		} else {
			c.emit(replyRecord(request, src, reply))
		}
	}()
	return nil
}

// sendAndWait sends and waits for the reply on the calling thread: one thread hand-off less
// than send, for callers that block anyway.
func (c *client) sendAndWait(dests []string, data []byte, replyTimeout time.Duration) (string, []byte, error) {
	if err := c.checkSend(dests, data); err != nil {
		return "", nil, err
	}
	onReply, err := c.sendNow(dests, data, true)
	if err != nil {
		return "", nil, err
	}
	return c.awaitReply(onReply, replyTimeout)
}

// checkSend refuses what NKN would refuse, before anything is sent, and takes a send slot
// that sendNow gives back.
func (c *client) checkSend(dests []string, data []byte) error {
	if len(data) > maxMessageBytes {
		return newError(codeMessageTooLarge, fmt.Sprintf("message of %d bytes is over NKN's limit of %d bytes", len(data), maxMessageBytes))
	}
	if len(dests) == 0 {
		return newError(codeInvalidAddress, "no destination")
	}
	return c.acquireSendSlot()
}

func (c *client) sendNow(dests []string, data []byte, wantReply bool) (*nkn.OnMessage, error) {
	defer func() { <-c.sendSlots }()
	return c.mc.Send(nkn.NewStringArray(dests...), data, &nkn.MessageConfig{NoReply: !wantReply})
}

func (c *client) awaitReply(onReply *nkn.OnMessage, timeout time.Duration) (string, []byte, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case msg, ok := <-onReply.C:
		if ok && msg != nil {
			return msg.Src, msg.Data, nil
		}
		return "", nil, newError(codeClosed, "client closed while waiting for the reply")
	case <-timer.C:
		return "", nil, newError(codeTimeout, fmt.Sprintf("no reply within %v", timeout))
	case <-c.closed:
		return "", nil, newError(codeClosed, "client closed while waiting for the reply")
	}
}

// reply answers a received message once; the outcome comes back as SENT or FAILED.
func (c *client) reply(token int64, data []byte, request int64) error {
	if len(data) > maxMessageBytes {
		return newError(codeMessageTooLarge, fmt.Sprintf("reply of %d bytes is over NKN's limit of %d bytes", len(data), maxMessageBytes))
	}
	c.mu.Lock()
	in, ok := c.answerable[token]
	delete(c.answerable, token)
	c.mu.Unlock()
	if !ok {
		return newError(codeInvalidArgument, "message cannot be answered: the sender asked for no reply, it was answered already, or its reply window passed")
	}
	if err := c.acquireSendSlot(); err != nil {
		return err
	}
	go func() {
		err := in.msg.Reply(data)
		<-c.sendSlots
		if err != nil {
			c.emit(failedRecord(request, err))
		} else {
			c.emit(sentRecord(request))
		}
	}()
	return nil
}

func (c *client) close() error {
	var err error
	c.closeOnce.Do(func() {
		close(c.closed)
		c.settle(3 * time.Second)
		err = c.mc.Close()
		c.mu.Lock()
		c.answerable = map[int64]incoming{}
		c.mu.Unlock()
	})
	return err
}
