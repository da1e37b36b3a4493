package main

import (
	"time"

	nkn "github.com/nknorg/nkn-sdk-go"
	"github.com/nknorg/ncp-go"
)

// listen sets which remote addresses (regular expressions) may open sessions, and starts
// the loop that hands accepted sessions to accept.
func (c *client) listen(patterns []string) error {
	if err := c.mc.Listen(nkn.NewStringArray(patterns...)); err != nil {
		return newError(codeInvalidArgument, "bad address pattern: "+err.Error())
	}
	c.acceptStart.Do(func() { go c.acceptLoop() })
	return nil
}

func (c *client) acceptLoop() {
	for {
		session, err := c.mc.AcceptSession()
		if err != nil {
			return // closed
		}
		select {
		case c.accepted <- session:
		case <-c.closed:
			session.Close()
			return
		}
	}
}

// accept waits up to timeout for a session; nil when none came.
func (c *client) accept(timeout time.Duration) (*ncp.Session, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case s := <-c.accepted:
		return s, nil
	case <-timer.C:
		return nil, nil
	case <-c.closed:
		return nil, newError(codeClosed, "client is closed")
	}
}

func (c *client) dial(address string, timeout time.Duration) (*ncp.Session, error) {
	if c.isClosed() {
		return nil, newError(codeClosed, "client is closed")
	}
	return c.mc.DialWithConfig(address, &nkn.DialConfig{DialTimeout: int32(timeout / time.Millisecond)})
}

// subscribe sends a subscribe transaction (fee 0) and returns its hash.
func (c *client) subscribe(identifier, topic string, durationBlocks int, meta string) (string, error) {
	return c.mc.Subscribe(identifier, topic, durationBlocks, meta, &nkn.TransactionConfig{Fee: "0"})
}

// subscribers lists a topic's subscribers with their meta, those still in the node's
// transaction pool included when txPool is set.
func (c *client) subscribers(topic string, limit int, txPool bool) (map[string]string, error) {
	found, err := c.mc.GetSubscribers(topic, 0, limit, true, txPool, nil)
	if err != nil {
		return nil, err
	}
	all := make(map[string]string)
	for addr, meta := range found.Subscribers.Map() {
		all[addr] = meta
	}
	if found.SubscribersInTxPool != nil {
		for addr, meta := range found.SubscribersInTxPool.Map() {
			all[addr] = meta
		}
	}
	return all, nil
}
