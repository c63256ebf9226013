package blocking

import (
	"time"

	"golang.org/x/sys/unix"
)

// Sleep é o time.sleep do Python: a thread dorme no kernel. O x/sys/unix não
// oferece nanosleep no macOS; select(2) sem descritores, só com o prazo, é o
// jeito clássico de dormir numa chamada do sistema (e o que o próprio Python
// usava antes de existir nanosleep). Um sinal pode interromper o select: o
// laço dorme o que falta até o fim.
func Sleep(d time.Duration) {
	end := time.Now().Add(d)
	for left := d; left > 0; left = time.Until(end) {
		// Arredonda para cima: um prazo de 0 µs voltaria na hora, e o laço
		// giraria em falso até o fim.
		tv := unix.NsecToTimeval((left + time.Microsecond - 1).Nanoseconds())
		unix.Select(0, nil, nil, nil, &tv)
	}
}
