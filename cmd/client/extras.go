package main

// O que o porte acrescenta ao client.py, fora dos passos dele: as flags, os
// prazos, a linha RESUMO (a última, que cmd/roteiro e os testes leem) e a
// linha do tempo (-svg). O original não tem prazo nenhum: contra um
// servidor travado ele espera para sempre. Aqui há prazos generosos
// (-connect-timeout 10s, -timeout 60s para a resposta), para nada ficar
// pendurado, e a resposta é lida até o servidor fechar.

import (
	"fmt"
	"os"
	"time"

	"roteiro2/internal/loadclient"
	"roteiro2/internal/socket"
	"roteiro2/internal/summary"
	"roteiro2/internal/timeline"
)

var (
	N                = 3                // range(1, 4): -n
	TIMEOUT          = 10 * time.Second // -connect-timeout
	TIMEOUT_RESPOSTA = 60 * time.Second // -timeout
	SVG              string             // -svg
	clientes         *loadclient.Run
)

func opcoes() {
	f := loadclient.RegisterFlags(N, TIMEOUT, TIMEOUT_RESPOSTA)
	f.Parse()
	HOST, PORT, N, TIMEOUT, TIMEOUT_RESPOSTA, SVG = f.Host, f.Port, f.N, f.ConnectTimeout, f.ReplyTimeout, f.SVG
	cfg := loadclient.Config{Quiet: f.Quiet, Out: os.Stdout}
	if f.Quiet {
		cfg.Progress = os.Stderr
	}
	clientes = loadclient.New(cfg, N)
}

// imprimir é o print do .py para as linhas de cada cliente (nada com -q).
func imprimir(format string, args ...any) { clientes.Printf(format, args...) }

// prazos: -connect-timeout para o connect; depois dele, -timeout.
func prazos(client *socket.Sock) { client.SetTimeout(TIMEOUT) }

// entrou anota a hora em que o connect deu certo (a linha do tempo) e passa
// ao prazo da resposta.
func entrou(client *socket.Sock, idCliente int) {
	clientes.Entered(idCliente)
	client.SetTimeout(TIMEOUT_RESPOSTA)
}

// ateOFim lê o resto da resposta até o servidor fechar, no prazo de
// -timeout contado da entrada (loadclient.ReadToEOF).
func ateOFim(client *socket.Sock, idCliente int, msg []byte) (loadclient.Reply, error) {
	return loadclient.ReadToEOF(client, msg, clientes.Deadline(idCliente, TIMEOUT_RESPOSTA))
}

func desfecho(err error) summary.Outcome { return loadclient.Classify(err) }

// explicar diz a causa de um erro que o original não trata.
func explicar(err error) string {
	switch desfecho(err) {
	case summary.ReplyTimeout:
		return loadclient.Late(err, TIMEOUT_RESPOSTA) + "."
	case summary.Reset:
		return loadclient.ResetText(err, true)
	}
	return err.Error()
}

// resumo grava a linha do tempo (-svg) e imprime a última linha, o RESUMO.
func resumo(results []loadclient.Result) {
	exit := 0
	if SVG != "" {
		sc := timeline.Scenario{Program: "client", Addr: fmt.Sprintf("%s:%d", HOST, PORT),
			ConnectTimeout: TIMEOUT, ReplyTimeout: TIMEOUT_RESPOSTA}
		exit = loadclient.SaveSVG(SVG, sc, results)
	}
	fmt.Println(loadclient.Resumo(results))
	os.Exit(exit)
}
