package main

import (
	"encoding/json"
	"log"
	"os"
	"strings"
	"time"
)

// nkn-sdk-go logs through the standard log package; inside the JVM those lines join the
// process's structured logs, so they are rewritten as JSON lines on stderr.
type jsonLogWriter struct{}

func (jsonLogWriter) Write(p []byte) (int, error) {
	line, _ := json.Marshal(map[string]string{
		"ts":     time.Now().UTC().Format(time.RFC3339Nano),
		"level":  "INFO",
		"logger": "nkn-sdk-go",
		"msg":    strings.TrimRight(string(p), "\n"),
	})
	_, err := os.Stderr.Write(append(line, '\n'))
	return len(p), err
}

func init() {
	log.SetFlags(0)
	log.SetOutput(jsonLogWriter{})
}
