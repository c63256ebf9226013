//go:build !linux

package main

// tid: fora do Linux não há gettid(2) portátil; -1 omite o número no log.
func tid() int { return -1 }
