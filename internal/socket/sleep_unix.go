//go:build unix && !darwin

package socket

import (
	"time"

	"golang.org/x/sys/unix"
)

// Sleep é o time.sleep do Python: nanosleep(2), que faz ESTA thread dormir
// no kernel (no Linux, wchan hrtimer_nanosleep). O time.Sleep do Go não
// serviria: ele estaciona a goroutine num temporizador do runtime, e a
// thread vai fazer outra coisa. Um sinal pode interromper o nanosleep
// (EINTR): o kernel diz quanto faltava, e o laço dorme só o resto.
func Sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	ts := unix.NsecToTimespec(d.Nanoseconds())
	for {
		var rest unix.Timespec
		if unix.Nanosleep(&ts, &rest) != unix.EINTR {
			return
		}
		ts = rest
	}
}
