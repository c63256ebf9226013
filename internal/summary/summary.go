// Package summary define o resultado de cada cliente e a linha RESUMO que os
// dois clientes imprimem no fim, legível por máquina, sempre neste formato e
// nesta ordem de chaves:
//
//	RESUMO total=10 sucesso=10 timeout_conexao=0 timeout_resposta=0 recusado=0 resetado=0 erro=0 p50=5.01s p99=5.02s max=5.02s
//
// p50/p99/max são o tempo desde o início comum até cada sucesso ("-" quando
// não houve nenhum). Quando algum cliente resetado recebeu bytes de resposta
// antes do RST (um servidor que responde e fecha sem ler a tarefa, como o
// servergargalo.py), a linha termina com resetado_apos_resposta=N, uma parte
// dos resetado. cmd/roteiro e os testes leem a linha com Parse.
package summary

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Outcome é o desfecho de um cliente.
type Outcome int

const (
	Success        Outcome = iota // recebeu a resposta
	ConnectTimeout                // não foi aceito a tempo (SYN sem resposta, fila cheia)
	ReplyTimeout                  // entrou, mas a resposta não chegou a tempo
	Refused                       // ECONNREFUSED: ninguém escutava na porta (no Windows, também a fila cheia)
	Reset                         // ECONNRESET/EPIPE: o servidor derrubou a conexão (RST)
	Other                         // qualquer outro erro
	numOutcomes
)

// Key é o nome do desfecho na linha RESUMO (e a classe CSS no SVG).
func (o Outcome) Key() string {
	return [...]string{"sucesso", "timeout_conexao", "timeout_resposta", "recusado", "resetado", "erro"}[o]
}

// Counts e tempos de uma rodada.
type Resumo struct {
	Total  int
	Counts [numOutcomes]int // indexado por Outcome
	// P50, P99 e Max: tempos até cada sucesso; negativos quando não houve sucesso.
	P50, P99, Max time.Duration
	// ResetAfterReply: dos Reset, quantos receberam bytes de resposta antes
	// do RST (a resposta chegou, mas sem o FIN não se sabe se inteira).
	ResetAfterReply int
}

// Count devolve quantos clientes tiveram o desfecho o.
func (r Resumo) Count(o Outcome) int { return r.Counts[o] }

// Make calcula o Resumo a partir do desfecho de cada cliente e, para os
// sucessos, do tempo desde o início comum até a resposta.
func Make(outcomes []Outcome, successTimes []time.Duration) Resumo {
	r := Resumo{Total: len(outcomes), P50: -1, P99: -1, Max: -1}
	for _, o := range outcomes {
		r.Counts[o]++
	}
	if len(successTimes) > 0 {
		t := slices.Clone(successTimes)
		slices.Sort(t)
		r.P50, r.P99, r.Max = Percentile(t, 50), Percentile(t, 99), t[len(t)-1]
	}
	return r
}

// Percentile devolve o percentil p (0–100) de valores já ordenados, pelo
// método do posto mais próximo (sempre um valor que de fato ocorreu).
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return -1
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// String formata a linha RESUMO.
func (r Resumo) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "RESUMO total=%d", r.Total)
	for o := range numOutcomes {
		fmt.Fprintf(&b, " %s=%d", o.Key(), r.Counts[o])
	}
	fmt.Fprintf(&b, " p50=%s p99=%s max=%s", seconds(r.P50), seconds(r.P99), seconds(r.Max))
	if r.ResetAfterReply > 0 {
		fmt.Fprintf(&b, " %s=%d", resetAfterReplyKey, r.ResetAfterReply)
	}
	return b.String()
}

func seconds(d time.Duration) string {
	if d < 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

const resetAfterReplyKey = "resetado_apos_resposta"

// Parse lê uma linha RESUMO (a que String escreve).
func Parse(line string) (Resumo, error) {
	fields := strings.Fields(strings.TrimSpace(line))
	var extra int
	if len(fields) == 12 {
		k, v, _ := strings.Cut(fields[11], "=")
		n, err := strconv.Atoi(v)
		if k != resetAfterReplyKey || err != nil || n < 0 {
			return Resumo{}, fmt.Errorf("RESUMO: esperava %s= no fim, achei %q", resetAfterReplyKey, fields[11])
		}
		extra, fields = n, fields[:11]
	}
	if len(fields) != 11 || fields[0] != "RESUMO" {
		return Resumo{}, fmt.Errorf("linha RESUMO malformada: %q", line)
	}
	keys := []string{"total"}
	for o := range numOutcomes {
		keys = append(keys, o.Key())
	}
	keys = append(keys, "p50", "p99", "max")
	var r Resumo
	for i, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k != keys[i] {
			return Resumo{}, fmt.Errorf("RESUMO: esperava %s=, achei %q", keys[i], f)
		}
		switch {
		case i == 0:
			n, err := strconv.Atoi(v)
			if err != nil {
				return Resumo{}, fmt.Errorf("RESUMO: %s=%q", k, v)
			}
			r.Total = n
		case i <= int(numOutcomes):
			n, err := strconv.Atoi(v)
			if err != nil {
				return Resumo{}, fmt.Errorf("RESUMO: %s=%q", k, v)
			}
			r.Counts[i-1] = n
		default:
			d := time.Duration(-1)
			if v != "-" {
				s, err := strconv.ParseFloat(strings.TrimSuffix(v, "s"), 64)
				if err != nil || !strings.HasSuffix(v, "s") {
					return Resumo{}, fmt.Errorf("RESUMO: %s=%q", k, v)
				}
				d = time.Duration(s * float64(time.Second))
			}
			*[]*time.Duration{&r.P50, &r.P99, &r.Max}[i-1-int(numOutcomes)] = d
		}
	}
	if extra > r.Counts[Reset] {
		return Resumo{}, fmt.Errorf("RESUMO: %s=%d maior que resetado=%d", resetAfterReplyKey, extra, r.Counts[Reset])
	}
	r.ResetAfterReply = extra
	return r, nil
}

// Find procura a última linha RESUMO num texto e a interpreta.
func Find(output string) (Resumo, error) {
	lines := strings.Split(output, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "RESUMO ") {
			return Parse(lines[i])
		}
	}
	return Resumo{}, fmt.Errorf("nenhuma linha RESUMO na saída")
}

// ServerKeys lê a última linha "[RESUMO SERVIDOR] chave=valor ..." que um
// servidor imprimiu ao parar (atendidas, falhas, interrompidas,
// threads_pico, rss_pico, cpu_usuario, cpu_sistema, trocas_vol,
// trocas_invol e o que mais vier). Devolve um mapa vazio se não houver.
func ServerKeys(output string) map[string]string {
	const tag = "[RESUMO SERVIDOR]"
	keys := map[string]string{}
	i := strings.LastIndex(output, tag)
	if i < 0 {
		return keys
	}
	line, _, _ := strings.Cut(output[i+len(tag):], "\n")
	for _, f := range strings.Fields(line) {
		if k, v, ok := strings.Cut(f, "="); ok {
			keys[k] = v
		}
	}
	return keys
}
