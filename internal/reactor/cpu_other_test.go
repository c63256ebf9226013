//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package reactor

import (
	"testing"
	"time"
)

// loopCPU: só o Linux mede a CPU de uma thread (RUSAGE_THREAD); -1 aqui.
func loopCPU(*testing.B, *Loop) time.Duration { return -1 }
