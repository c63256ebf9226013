package socket

import (
	"time"

	"golang.org/x/sys/windows"
)

// Sleep é o time.sleep do Python: a thread dorme no kernel do Windows
// (Sleep, aqui SleepEx sem alertas), não num temporizador do runtime do Go.
// O prazo é em milissegundos, arredondado para cima.
func Sleep(d time.Duration) {
	if d > 0 {
		windows.SleepEx(uint32((d+time.Millisecond-1)/time.Millisecond), false)
	}
}
