//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package proc

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// selfRusage: o que getrusage(RUSAGE_SELF) diz do próprio processo no macOS
// e nos BSD: CPU, pico de memória e trocas de contexto, somando todas as
// threads, inclusive as que já terminaram. Threads e memória atual ficam
// "n/d"; cada sistema completa o que puder (proc_darwin.go, ...).
func selfRusage() Figures {
	f := unknown()
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) == nil {
		f.User = time.Duration(ru.Utime.Nano())
		f.System = time.Duration(ru.Stime.Nano())
		f.Voluntary, f.Involuntary = int64(ru.Nvcsw), int64(ru.Nivcsw)
		f.PeakRSS = int64(ru.Maxrss) * 1024 // BSD: KiB
		if runtime.GOOS == "darwin" {
			f.PeakRSS = int64(ru.Maxrss) // macOS: bytes
		}
	}
	return f
}
