package main

import "golang.org/x/sys/unix"

// tid é o identificador da thread do SO que roda o chamador (gettid(2)), o
// mesmo número que threading.get_native_id() do Python e ps -L mostram.
func tid() int { return unix.Gettid() }
