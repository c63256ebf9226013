//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly && !windows

package proc

import "errors"

// Self nos sistemas que este pacote não lê (Solaris, AIX, Plan 9...): só as
// threads, pelo runtime do Go (GoThreads); o resto "n/d".
func Self() Figures {
	f := unknown()
	f.Threads = GoThreads()
	return f
}

// Threads conta as threads do próprio processo pelo runtime do Go.
func Threads() int { return GoThreads() }

// Of não é suportado neste sistema.
func Of(pid int) (Figures, error) {
	return unknown(), errors.New("medir outro processo não é suportado neste sistema (só Linux, macOS, FreeBSD, NetBSD e Windows)")
}
