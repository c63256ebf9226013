//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package proc

import "errors"

// Self em sistemas sem /proc nem getrusage (Windows): tudo "n/d".
func Self() Figures { return unknown() }

// Threads: -1 ("n/d").
func Threads() int { return -1 }

// Of não é suportado neste sistema.
func Of(pid int) (Figures, error) {
	return unknown(), errors.New("medir outro processo não é suportado neste sistema (só Linux, macOS, FreeBSD e NetBSD)")
}
