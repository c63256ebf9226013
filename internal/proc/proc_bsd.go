//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package proc

import (
	"errors"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// Self no macOS/BSD: getrusage dá CPU, pico de memória e trocas de contexto.
// Threads e memória atual ficam "n/d" (exigiriam APIs do Mach ou sysctl
// específicas de cada sistema).
func Self() Figures {
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

// Threads não é informado sem APIs específicas: -1 ("n/d").
func Threads() int { return -1 }

// Of só é suportado no Linux.
func Of(pid int) (Figures, error) {
	return unknown(), errors.New("medir outro processo só é suportado no Linux (/proc)")
}

// WaitChannels só é suportado no Linux.
func WaitChannels(pid int) (Waits, error) {
	return nil, errors.New("onde cada thread dorme (wchan) só o Linux informa")
}
