package main

// As etapas do roteiro: a tabela (o que cada uma sobe, com quantos clientes
// e o que deve mostrar) e a escolha de -etapas. Como uma etapa roda está em
// run.go; o que cada uma deve mostrar, em verdicts.go.

import (
	"fmt"
	"strings"
	"time"
)

// stageDef descreve uma etapa.
type stageDef struct {
	ID         string   // nome em -etapas
	Stage      string   // coluna "etapa"
	ServerName string   // coluna "servidor"
	Server     string   // programa servidor
	ServerArgs []string // flags além de -port/-delay/-q
	Client     string   // "client" ou "clientenervoso"
	N          int      // clientes
	Origins    int      // -origens do clientenervoso (0 = padrão)
	Backlog    int      // -backlog do servidor (0 = o padrão dele)
	// Scale: rodada de escala (linhas "escala" e -escala): o servidor usa
	// -backlog 4096 e o cliente prazos largos (10 s para entrar, delay + 30 s
	// para a resposta), para medir o modelo e não a fila do listen nem a
	// impaciência do cliente. O prazo da rodada é delay + 60 s.
	Scale bool
	// MinDelay: abaixo deste delay a etapa perde a lição e roda com o do
	// laboratório (labDelay); veja stageDelay.
	MinDelay time.Duration
	// CookieRetries: quantas vezes repetir a etapa quando ela perde a lição
	// porque o kernel respondeu com SYN cookies (runStageRetry).
	CookieRetries int
	check         func(r Row, delay time.Duration) Verdict
}

// labDelay é o sleep(5) dos scripts originais.
const labDelay = 5 * time.Second

// backlogMinDelay: na Etapa 1.2 quem fica de fora da fila só desiste (timeout
// de conexão) se o servidor não liberar um lugar antes: o delay tem de
// passar do prazo de conexão do clientenervoso (2 s) com folga para a
// retransmissão do SYN, que no Linux ≥ 6.5 vem a cada 1 s. Com o delay de
// 1 s do -rapido o servidor libera a fila em t = 1 s, o SYN reenviado em
// t ≈ 1 s entra, e quase ninguém desiste: a lição some.
const backlogMinDelay = nervousConnect + time.Second

// allStages são as etapas do roteiro (issue 4), na ordem em que rodam.
var allStages = []stageDef{
	{ID: "1.1", Stage: "1.1", ServerName: "serverbloq", Server: "serverbloq", Client: "client", N: 3, check: checkSequential},
	{ID: "1.2", Stage: "1.2", ServerName: "servergargalo", Server: "servergargalo", Client: "clientenervoso", N: 10, Backlog: 1, MinDelay: backlogMinDelay, CookieRetries: 4, check: checkBacklog},
	{ID: "2.1", Stage: "2.1", ServerName: "server (thread)", Server: "server", ServerArgs: []string{"-modelo", "thread"}, Client: "clientenervoso", N: 10, check: checkThreadPerConn},
	{ID: "2.1-200", Stage: "2.1", ServerName: "server (thread)", Server: "server", ServerArgs: []string{"-modelo", "thread"}, Client: "clientenervoso", N: 200, check: checkThreadPerConn},
	{ID: "2.1-goroutine", Stage: "2.1", ServerName: "server (goroutine)", Server: "server", ServerArgs: []string{"-modelo", "goroutine"}, Client: "clientenervoso", N: 10, check: checkFlat},
	{ID: "2.1-goroutine-200", Stage: "2.1", ServerName: "server (goroutine)", Server: "server", ServerArgs: []string{"-modelo", "goroutine"}, Client: "clientenervoso", N: 200, check: checkFlat},
	{ID: "3.3", Stage: "3.3", ServerName: "server_async", Server: "server_async", Client: "clientenervoso", N: 10, check: checkFlat},
	{ID: "desafio", Stage: "Desafio", ServerName: "server_async", Server: "server_async", Client: "clientenervoso", N: 200, check: checkFlat},
	{ID: "escala-async", Stage: "escala", ServerName: "server_async", Server: "server_async", Client: "clientenervoso", N: 2000, Origins: 4, Scale: true, check: checkScaleFlat},
	{ID: "escala-goroutine", Stage: "escala", ServerName: "server (goroutine)", Server: "server", ServerArgs: []string{"-modelo", "goroutine"}, Client: "clientenervoso", N: 2000, Origins: 4, Scale: true, check: checkScaleFlat},
	{ID: "escala-thread", Stage: "escala", ServerName: "server (thread)", Server: "server", ServerArgs: []string{"-modelo", "thread"}, Client: "clientenervoso", N: 2000, Origins: 4, Scale: true, check: checkScaleThreads},
}

// selectStages interpreta -etapas: lista separada por vírgulas de IDs; um
// item sem ID exato vale como prefixo ("escala" = as duas linhas de escala).
func selectStages(list string) ([]stageDef, error) {
	if strings.TrimSpace(list) == "" {
		return allStages, nil
	}
	want := map[string]bool{}
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		found := false
		for _, s := range allStages {
			if strings.EqualFold(s.ID, item) {
				want[s.ID], found = true, true
			}
		}
		if !found {
			for _, s := range allStages {
				if strings.HasPrefix(strings.ToLower(s.ID), strings.ToLower(item)+"-") {
					want[s.ID], found = true, true
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("etapa desconhecida %q (conhecidas: %s)", item, stageIDs())
		}
	}
	var out []stageDef
	for _, s := range allStages { // sempre na ordem do roteiro
		if want[s.ID] {
			out = append(out, s)
		}
	}
	return out, nil
}

// stageDelay é o delay com que a etapa roda e, se não for o pedido, por quê.
func stageDelay(st stageDef, asked time.Duration) (time.Duration, string) {
	if asked >= st.MinDelay {
		return asked, ""
	}
	return labDelay, fmt.Sprintf("delay de %v nesta etapa (o do laboratório), não %v: com delay abaixo de %v o servidor "+
		"libera a fila antes de os clientes desistirem (prazo de conexão de %v; o SYN é reenviado a cada 1 s) e quem "+
		"ficou de fora entra atrasado, em vez de dar timeout de conexão", labDelay, asked, st.MinDelay, nervousConnect)
}

// asyncReason diz por que o server_async deste projeto não roda aqui ("" se roda):
// o reactor fala com epoll (Linux), kqueue (macOS, BSD) e WSAPoll (Windows),
// os sistemas dos arquivos poller_*.go de internal/reactor.
func asyncReason(goos string) string {
	switch goos {
	case "linux", "darwin", "freebsd", "netbsd", "openbsd", "dragonfly", "windows":
		return ""
	}
	return "precisa de epoll, kqueue ou WSAPoll: Linux, macOS, BSD ou Windows"
}

func stageIDs() string {
	ids := make([]string, len(allStages))
	for i, s := range allStages {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}
