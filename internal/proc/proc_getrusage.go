//go:build openbsd || dragonfly

package proc

import "errors"

// Self no OpenBSD e no DragonFly: só o que getrusage dá (CPU, pico de
// memória, trocas de contexto). As structs kinfo_proc desses sistemas
// não são lidas aqui: threads e memória atual ficam "n/d".
func Self() Figures { return selfRusage() }

// Threads: -1 ("n/d").
func Threads() int { return -1 }

// Of não é suportado neste sistema.
func Of(pid int) (Figures, error) {
	return unknown(), errors.New("medir outro processo não é suportado neste sistema (só Linux, macOS, FreeBSD e NetBSD)")
}
