// Package wire trata os bytes que um cliente envia. Os originais fazem
// data.decode('utf-8') e quebram (UnicodeDecodeError) com bytes inválidos;
// aqui a mensagem é tratada como bytes: a resposta devolve os bytes como
// chegaram e o log mostra uma versão escapada, sempre imprimível.
//
// Não importa "net" (o server_async usa este pacote).
package wire

import (
	"strconv"
	"unicode/utf8"
)

// MaxRead é o tamanho de leitura dos originais: recv(1024).
const MaxRead = 1024

// Quote devolve msg pronta para o log: UTF-8 válido e imprimível passa como
// está; bytes inválidos, NUL e caracteres de controle aparecem escapados
// (\x00, \n, \xff), como em strconv.Quote, mas sem as aspas.
func Quote(msg []byte) string {
	if isPlain(msg) {
		return string(msg)
	}
	q := strconv.Quote(string(msg))
	return q[1 : len(q)-1]
}

func isPlain(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 || !strconv.IsPrint(r) || r == '\\' {
			return false
		}
		b = b[size:]
	}
	return true
}

// Reply monta a resposta prefix+msg num slice novo (msg não é retido).
func Reply(prefix string, msg []byte) []byte {
	out := make([]byte, 0, len(prefix)+len(msg))
	return append(append(out, prefix...), msg...)
}
