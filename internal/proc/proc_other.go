//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package proc

import "errors"

// Self em sistemas sem /proc nem getrusage (Windows): tudo "n/d".
func Self() Figures { return unknown() }

// Threads: -1 ("n/d").
func Threads() int { return -1 }

// Of só é suportado no Linux.
func Of(pid int) (Figures, error) {
	return unknown(), errors.New("medir outro processo só é suportado no Linux (/proc)")
}

// WaitChannels só é suportado no Linux.
func WaitChannels(pid int) (Waits, error) {
	return nil, errors.New("onde cada thread dorme (wchan) só o Linux informa")
}
