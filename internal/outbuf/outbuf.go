// Package outbuf guarda em memória o que um processo filho escreve (stdout e
// stderr) e deixa quem lê esperar por uma linha sem dormir em laço: cada
// escrita acorda quem espera. Os testes de ponta a ponta (internal/e2e) e o
// cmd/roteiro o usam para ler a linha de início de um servidor ("Servidor
// rodando em 127.0.0.1:PORTA") assim que ela sai.
package outbuf

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Buffer é um io.Writer seguro para várias goroutines (exec.Cmd copia
// stdout e stderr em goroutines próprias). O valor zero está pronto para uso.
type Buffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // fechado e trocado a cada escrita
}

// Write guarda p e acorda quem espera em WaitLine.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return len(p), nil
}

// String devolve tudo o que foi escrito até agora.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// snapshot devolve o texto e um canal que fecha na próxima escrita.
func (b *Buffer) snapshot() (string, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed == nil {
		b.changed = make(chan struct{})
	}
	return b.buf.String(), b.changed
}

// Os dois jeitos de WaitLine não achar a linha.
var (
	ErrExited  = errors.New("o processo terminou sem imprimir a linha esperada")
	ErrTimeout = errors.New("prazo esgotado esperando a linha")
)

// WaitLine espera até timeout uma linha que case com re e a devolve (sem o
// "\n"). Só contam linhas completas: uma escrita pode chegar partida ao meio
// ("...127.0.0.1:65" e depois "432\n"), e ler a porta pela metade seria
// errado. exited fecha quando o processo termina; a partir daí nada mais
// chega, então a última linha conta mesmo sem "\n", e se nenhuma casar o
// erro é ErrExited.
func (b *Buffer) WaitLine(re *regexp.Regexp, exited <-chan struct{}, timeout time.Duration) (string, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		text, changed := b.snapshot()
		if line, ok := findLine(re, text, false); ok {
			return line, nil
		}
		select {
		case <-changed:
		case <-exited:
			// O processo acabou, mas a cópia da saída (outra goroutine) pode
			// ter terminado depois do nosso snapshot: uma última leitura.
			if line, ok := findLine(re, b.String(), true); ok {
				return line, nil
			}
			return "", ErrExited
		case <-deadline.C:
			return "", ErrTimeout
		}
	}
}

// findLine procura a primeira linha de text que case com re; a última linha
// (sem "\n") só conta se last.
func findLine(re *regexp.Regexp, text string, last bool) (string, bool) {
	for text != "" {
		line, rest, complete := strings.Cut(text, "\n")
		if !complete && !last {
			return "", false
		}
		line = strings.TrimSuffix(line, "\r")
		if re.MatchString(line) {
			return line, true
		}
		text = rest
	}
	return "", false
}
