//go:build freebsd || netbsd

package proc

import "os"

// No FreeBSD e no NetBSD, uma chamada sysctl devolve a kinfo_proc de um
// processo (kinfo, em proc_freebsd.go e proc_netbsd.go): threads e memória
// atual, com custo constante.

// Self: threads e memória atual pela kinfo_proc; CPU, pico e trocas de
// contexto por getrusage, como nos outros sistemas.
func Self() Figures {
	f := selfRusage()
	if k, err := kinfo(os.Getpid()); err == nil {
		f.Threads, f.RSS = k.Threads, k.RSS
	}
	return f
}

// Threads conta as threads do SO do próprio processo, ou -1.
func Threads() int {
	k, err := kinfo(os.Getpid())
	if err != nil {
		return -1
	}
	return k.Threads
}

// Of mede outro processo pela kinfo_proc dele.
func Of(pid int) (Figures, error) { return kinfo(pid) }
