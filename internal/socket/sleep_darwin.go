package socket

import (
	"time"

	"golang.org/x/sys/unix"
)

// Sleep é o time.sleep do Python: a thread dorme no kernel. O x/sys/unix não
// oferece nanosleep no macOS (o Go chama o sistema pela libSystem, e o x/sys
// só embrulha o que usa); select(2) sem descritores, só com o prazo, dorme
// do mesmo jeito. Era também o que o time.sleep do CPython fazia até a 3.10
// (da 3.11 em diante usa clock_nanosleep ou nanosleep). Um sinal pode
// interromper o select: o laço dorme o que falta até o fim.
func Sleep(d time.Duration) {
	end := time.Now().Add(d)
	for left := d; left > 0; left = time.Until(end) {
		// Arredonda para cima: um prazo de 0 µs voltaria na hora, e o laço
		// giraria em falso até o fim.
		tv := unix.NsecToTimeval((left + time.Microsecond - 1).Nanoseconds())
		unix.Select(0, nil, nil, nil, &tv)
	}
}
