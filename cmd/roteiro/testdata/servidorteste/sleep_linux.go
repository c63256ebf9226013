package main

import (
	"syscall"
	"time"
)

// sleep dorme com nanosleep(2), bloqueando a thread (time.Sleep só
// estacionaria a goroutine).
func sleep(d time.Duration) {
	ts := syscall.NsecToTimespec(d.Nanoseconds())
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
