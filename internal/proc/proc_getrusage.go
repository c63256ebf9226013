//go:build openbsd || dragonfly

package proc

import "errors"

// Self no OpenBSD e no DragonFly: o que getrusage dá (CPU, pico de
// memória, trocas de contexto) e as threads pelo runtime do Go (GoThreads).
// As structs kinfo_proc desses sistemas não são lidas aqui: a memória atual
// fica "n/d".
func Self() Figures {
	f := selfRusage()
	f.Threads = GoThreads()
	return f
}

// Threads conta as threads do próprio processo pelo runtime do Go.
func Threads() int { return GoThreads() }

// Of não é suportado neste sistema.
func Of(pid int) (Figures, error) {
	return unknown(), errors.New("medir outro processo não é suportado neste sistema (só Linux, macOS, FreeBSD, NetBSD e Windows)")
}
