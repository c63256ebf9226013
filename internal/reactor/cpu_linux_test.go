package reactor

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// loopCPU é a CPU (usuário + sistema) que a thread do laço gastou até agora:
// getrusage(RUSAGE_THREAD), chamado de dentro do laço (Post).
func loopCPU(b *testing.B, l *Loop) time.Duration {
	got := make(chan time.Duration, 1)
	if !l.Post(func() {
		var ru unix.Rusage
		if unix.Getrusage(unix.RUSAGE_THREAD, &ru) != nil {
			got <- -1
			return
		}
		got <- time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}) {
		b.Fatal("Post recusado")
	}
	return <-got
}
